package io.hivemind.bench.kv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Scenario benchmark of a replicated key-value store's write path over HTTP, the same load for etcd
 * (its v3 JSON gateway) and Hivemind (Consul's {@code PUT /v1/kv}): W writes in flight for a
 * warm-up and then a measured window, a level after another, printing writes/s, latency percentiles
 * and errors. JDK only, so {@code hivemind-bench/scripts/etcd-vs-control.sh} can compile and run it
 * without a Maven build.
 *
 * <p>The load goes through a blocking keep-alive HTTP/1.1 client of its own ({@link
 * HttpConnection}), one connection per worker, not the JDK's {@code HttpClient}: that one's
 * selector thread and executor hand-offs cost more CPU per call than the systems under test spend
 * on a write, on the same cores, and so distorted both halves of the comparison.
 *
 * <p>{@code java -cp hivemind-bench/target/benchmarks.jar io.hivemind.bench.kv.KvLoadFigures
 * --system etcd --endpoints http://127.0.0.1:2379,http://127.0.0.1:22379 [--in-flight 1,16,64]
 * [--seconds 10] [--warmup-seconds 3] [--value-bytes 100] [--keys 10000] [--timeout-seconds 5]
 * [--member-pids PID,...]}; with the members' pids it also prints their CPU use over each window.
 * Exits 1 when a level acknowledged no write at all, 2 on a bad option.
 */
public final class KvLoadFigures {

  /** The values' bytes: printable, so both APIs and any log show them as they are. */
  private static final String VALUE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  /** A fixed seed: every run writes the same values. */
  private static final long VALUE_SEED = 42;

  private KvLoadFigures() {}

  public static void main(String[] args) throws InterruptedException {
    KvLoadConfig config;
    try {
      config = KvLoadConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("KvLoadFigures: " + e.getMessage() + "\nusage: " + KvLoadConfig.USAGE);
      System.exit(2);
      return;
    }
    List<KvLoadResult> results = run(config);
    boolean anyEmpty = results.stream().anyMatch(r -> r.latency().count() == 0);
    System.exit(anyEmpty ? 1 : 0);
  }

  static List<KvLoadResult> run(KvLoadConfig config) throws InterruptedException {
    Duration timeout = Duration.ofSeconds(config.timeoutSeconds());
    int workers = Collections.max(config.inFlight());
    try (WorkerConnections connections =
        new WorkerConnections(config.endpoints(), timeout, workers)) {
      return run(config, writer(config, connections));
    }
  }

  private static List<KvLoadResult> run(KvLoadConfig config, KvWriter writer)
      throws InterruptedException {
    KvLoad load = new KvLoad(writer, System::nanoTime, config.system(), config.keys());
    boolean registrations = config.workload().equals("registration");
    long level = 0;
    printPlan(config);
    System.out.println(KvLoadReport.HEADER);
    List<KvLoadResult> results = new ArrayList<>();
    for (int inFlight : config.inFlight()) {
      Duration warmup = Duration.ofSeconds(config.warmupSeconds());
      Duration measured = Duration.ofSeconds(config.seconds());
      CpuWindow cpu = cpuWindow(config, warmup, measured);
      // Registrations: each level its own instances (fresh ids), the key-value load its own keys.
      long keyBase = config.keyOffset() + (registrations ? level++ * config.keys() : 0);
      KvLoadResult result = load.run(inFlight, warmup, measured, keyBase);
      System.out.println(KvLoadReport.row(result, cpu == null ? null : cpu.await()));
      results.add(result);
    }
    results.forEach(r -> System.out.print(KvLoadReport.errors(r)));
    return results;
  }

  private static KvWriter writer(KvLoadConfig config, WorkerConnections connections) {
    if (config.workload().equals("kv")) {
      KvWriteTarget target =
          config.system().equals("etcd") ? new EtcdGatewayTarget() : new HivemindKvTarget();
      return new HttpKvWriter(target, connections, value(config));
    }
    if (config.workload().equals("txn")) {
      KvWriteTarget target =
          config.system().equals("etcd") ? new EtcdTxnTarget() : new HivemindTxnTarget();
      return new HttpKvWriter(target, connections, value(config));
    }
    Registration registration =
        new Registration(value(config), config.check().equals("ttl"), config.services());
    return config.system().equals("etcd")
        ? new EtcdLeaseRegistrationWriter(connections, registration)
        : new HttpKvWriter(
            new HivemindRegistrationTarget(registration), connections, value(config));
  }

  /** Started, when the members' pids are known; null otherwise. */
  private static CpuWindow cpuWindow(KvLoadConfig config, Duration warmup, Duration measured) {
    if (config.memberPids().isEmpty()) {
      return null;
    }
    ProcessCpu self = new ProcessCpu(List.of(ProcessHandle.current().pid()));
    CpuWindow window = new CpuWindow(new ProcessCpu(config.memberPids()), self, warmup, measured);
    window.start();
    return window;
  }

  private static void printPlan(KvLoadConfig config) {
    System.out.printf(
        Locale.ROOT,
        "# %s %s: %d endpoint(s) %s, %d-byte values over %d keys, warm-up %d s then %d s a"
            + " level%n",
        config.system(),
        config.workload().equals("kv")
            ? "key-value writes"
            : config.workload().equals("txn")
                ? "transactions (a put and a read of its key)"
                : "registrations over "
                    + config.services()
                    + " service(s) ("
                    + registrationKind(config)
                    + ")",
        config.endpoints().size(),
        config.endpoints(),
        config.valueBytes(),
        config.keys(),
        config.warmupSeconds(),
        config.seconds());
  }

  private static String registrationKind(KvLoadConfig config) {
    if (config.system().equals("etcd")) {
      return "lease grant + put, lease TTL " + EtcdLeaseRegistrationWriter.LEASE_TTL_SECONDS + " s";
    }
    return "PUT /v1/agent/service/register, "
        + (config.check().equals("ttl") ? "TTL check" : "no check");
  }

  static byte[] value(KvLoadConfig config) {
    Random random = new Random(VALUE_SEED);
    byte[] value = new byte[config.valueBytes()];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) VALUE_ALPHABET.charAt(random.nextInt(VALUE_ALPHABET.length()));
    }
    return value;
  }
}
