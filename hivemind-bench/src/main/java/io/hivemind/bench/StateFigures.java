package io.hivemind.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Put/get throughput and latency of a partitioned map (issue 13's figure, side by side with
 * Hazelcast 5): N keys written once, then for each level C closed-loop callers, a put:get mix, a
 * warm-up and a measured window; prints ops/s and p50/p99/p99.9 per operation. Two backends: {@code
 * hazelcast} (an {@code IMap} through Hazelcast's smart client, members with one synchronous
 * backup: {@link HazelcastMember}) and {@code hivemind} ({@code HivemindClient.state}, client
 * routing to each key's owner; the agents' one synchronous backup).
 *
 * <p>{@code java -cp hivemind-bench/target/benchmarks.jar io.hivemind.bench.StateFigures --backend
 * hazelcast --endpoints 127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703 [--concurrency 1,16,64] [--mix
 * 50:50] [--keys 10000] [--value-bytes 100] [--seconds 10] [--warmup-seconds 3]}; {@code
 * hivemind-bench/scripts/state-vs-hazelcast.sh} runs both. Rows: {@code BACKEND CONCURRENCY OP
 * ops/s p50_ms p99_ms p99.9_ms count errors}, OP being put, get or all. Exits 1 when a level
 * completed no call, 2 on a bad option.
 */
public final class StateFigures {

  /** Printable values, so any log or dump shows them as they are; a fixed seed for each run. */
  private static final String VALUE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  /** Enough writers to preload 10 000 keys in seconds on either system. */
  private static final int PRELOAD_THREADS = 16;

  static final String HEADER =
      String.format(
          Locale.ROOT,
          "%-9s %11s %4s %10s %8s %8s %9s %9s %s",
          "backend",
          "concurrency",
          "op",
          "ops/s",
          "p50_ms",
          "p99_ms",
          "p99.9_ms",
          "count",
          "errors/misses");

  private StateFigures() {}

  public static void main(String[] args) throws InterruptedException {
    StateFiguresConfig config;
    try {
      config = StateFiguresConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(
          "StateFigures: " + e.getMessage() + "\nusage: " + StateFiguresConfig.USAGE);
      System.exit(2);
      return;
    }
    List<StateLoad.Result> results;
    try (StateBackend backend = backend(config)) {
      results = run(config, backend);
    }
    boolean anyEmpty = results.stream().anyMatch(r -> r.all().count() == 0);
    System.exit(anyEmpty ? 1 : 0);
  }

  static List<StateLoad.Result> run(StateFiguresConfig config, StateBackend backend)
      throws InterruptedException {
    StateLoad load =
        new StateLoad(backend, System::nanoTime, config.keys(), config.putPercent(), value(config));
    System.out.printf(
        Locale.ROOT,
        "# %s: %s, %d keys of %d-byte values, %d %% puts, warm-up %d s then %d s a level%n",
        backend.name(),
        config.endpoints(),
        config.keys(),
        config.valueBytes(),
        config.putPercent(),
        config.warmupSeconds(),
        config.seconds());
    long start = System.nanoTime();
    load.preload(PRELOAD_THREADS);
    System.out.printf(
        Locale.ROOT,
        "# preloaded %d keys in %.1f s%n",
        config.keys(),
        (System.nanoTime() - start) / 1e9);
    System.out.println(HEADER);
    List<StateLoad.Result> results = new ArrayList<>();
    for (int concurrency : config.concurrency()) {
      StateLoad.Result result =
          load.run(
              concurrency,
              Duration.ofSeconds(config.warmupSeconds()),
              Duration.ofSeconds(config.seconds()));
      System.out.print(rows(backend.name(), result));
      results.add(result);
    }
    if (!backend.routing().isEmpty()) {
      System.out.println("# " + backend.routing());
    }
    return results;
  }

  static String rows(String backend, StateLoad.Result result) {
    StringBuilder rows = new StringBuilder();
    String errors = result.errors().isEmpty() ? "0" : result.errors().toString().replace(' ', '_');
    rows.append(row(backend, result, "put", result.puts(), errors));
    rows.append(row(backend, result, "get", result.gets(), result.gets().misses() + "_misses"));
    rows.append(row(backend, result, "all", result.all(), errors));
    return rows.toString();
  }

  private static String row(
      String backend, StateLoad.Result result, String op, StateLoad.Op samples, String note) {
    return String.format(
        Locale.ROOT,
        "%-9s %11d %4s %10.0f %8.3f %8.3f %9.3f %9d %s%n",
        backend,
        result.concurrency(),
        op,
        result.perSecond(samples),
        samples.percentileMillis(0.50),
        samples.percentileMillis(0.99),
        samples.percentileMillis(0.999),
        samples.count(),
        note);
  }

  private static StateBackend backend(StateFiguresConfig config) {
    if (config.backend().equals("hazelcast")) {
      return new HazelcastStateBackend(config.cluster(), config.endpoints(), config.map());
    }
    return new HivemindStateBackend(URI.create(config.endpoints().get(0)), config.map());
  }

  static byte[] value(StateFiguresConfig config) {
    Random random = new Random(42);
    byte[] value = new byte[config.valueBytes()];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) VALUE_ALPHABET.charAt(random.nextInt(VALUE_ALPHABET.length()));
    }
    return value;
  }
}
