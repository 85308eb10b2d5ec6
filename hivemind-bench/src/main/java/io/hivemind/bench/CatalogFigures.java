package io.hivemind.bench;

import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogMessage;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.core.catalog.Weights;
import io.hivemind.core.catalog.WireCatalogCodec;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.WireGatewayCodec;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.ControlSettings;
import io.hivemind.server.catalog.RelayStats;
import io.hivemind.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario benchmark of catalogue replication (ADR 0004): N agents in this JVM on loopback (three
 * control agents, the rest plain), each with its own event loop, replicating through the control
 * gateways and the control mesh. Registrations are made at a steady rate, round-robin on the plain
 * agents; every agent's blocking query ({@code awaitIndexAbove}) notes when each registration first
 * shows in its view. Prints the time until a registration is visible on every agent (p50, p99, max
 * over the measured window), the bytes of one single-instance delta on the wire, and the
 * replication bytes each agent sent per second.
 *
 * <p>Run: {@code java -cp hivemind-bench/target/benchmarks.jar io.hivemind.bench.CatalogFigures
 * [--agents 10] [--rate 1000] [--seconds 10] [--warmup-seconds 3]}.
 */
public final class CatalogFigures {

  private static final int SERVICES = 256;

  private CatalogFigures() {}

  public static void main(String[] args) throws Exception {
    int agentCount = 10;
    int rate = 1_000;
    int seconds = 10;
    int warmupSeconds = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--agents" -> agentCount = Integer.parseInt(value);
        case "--rate" -> rate = Integer.parseInt(value);
        case "--seconds" -> seconds = Integer.parseInt(value);
        case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (agentCount < 4) {
      throw new IllegalArgumentException("--agents must be at least 4 (3 control + plain)");
    }
    printDeltaBytes();
    Path root = Files.createTempDirectory("hivemind-catalog-figures");
    List<Agent> agents = startCluster(agentCount, root);
    try {
      awaitAdmitted(agents, Duration.ofSeconds(120));
      run(agents, rate, warmupSeconds, seconds);
    } finally {
      agents.forEach(Agent::close);
    }
  }

  private static void printDeltaBytes() {
    ServiceInstance instance =
        new ServiceInstance(
            "bench-17",
            "r123456",
            "127.0.0.1",
            8080,
            List.of(),
            Map.of(),
            Weights.DEFAULT,
            io.hivemind.api.Environment.TESTING,
            "0ec2c4eb-2ffe-4c9b-ad55-31720700838f",
            ServiceInstance.AGENT_SESSION,
            List.of());
    CatalogDelta delta =
        new CatalogDelta(
            instance.owner(), 1_764_600_000_000L, 41, 42, List.of(instance), List.of());
    byte[] catalogue = WireCatalogCodec.encode(new CatalogMessage.Deltas(List.of(delta)));
    int onWire = WireGatewayCodec.encode(new GatewayMessage.Catalog(catalogue)).length + 4;
    System.out.printf(
        Locale.ROOT,
        "one delta registering one instance (no tags, meta or checks): %d bytes catalogue frame,"
            + " %d bytes on a gateway connection (frame + length, before TLS)%n%n",
        catalogue.length,
        onWire);
  }

  private static List<Agent> startCluster(int count, Path root) throws Exception {
    List<Agent> agents = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean control = i < 3;
      String name = (control ? "c" : "p") + i;
      List<String> seeds = agents.stream().map(a -> a.gossipAddress().toString()).toList();
      AgentSettings settings =
          new AgentSettings(
              name,
              "testing",
              0,
              "bench-catalog",
              loopback(),
              null,
              loopback(),
              seeds,
              List.of(control ? "control" : "host"),
              Map.of(),
              "",
              "local",
              List.of(),
              null,
              null,
              new ControlSettings(
                  root.resolve(name).toString(),
                  control ? 3 : null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  loopback(),
                  loopback()));
      agents.add(Agent.start(AgentConfig.resolve(settings, name, root), "bench"));
    }
    return agents;
  }

  private static String loopback() {
    return "127.0.0.1:" + FreePorts.tcpAndUdp();
  }

  private static void awaitAdmitted(List<Agent> agents, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!agents.stream().allMatch(a -> a.control().view().members().size() == agents.size())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the agents were not all admitted within " + within);
      }
      Thread.sleep(200);
    }
    Thread.sleep(2_000); // every catalogue has seen every admission
  }

  private static void run(List<Agent> agents, int rate, int warmupSeconds, int seconds)
      throws Exception {
    Visibility visibility = new Visibility(agents.size());
    ExecutorService scanner = Executors.newSingleThreadExecutor();
    for (Agent agent : agents) {
      watch(agent, 0, visibility, scanner);
    }
    List<Agent> plain = agents.subList(3, agents.size());
    long[] sentBefore = sentBytes(agents);
    int total = rate * (warmupSeconds + seconds);
    int measuredFrom = rate * warmupSeconds;
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long measuredStart = 0;
    for (int seq = 0; seq < total; seq++) {
      long due = start + seq * periodNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      if (seq == measuredFrom) {
        measuredStart = System.nanoTime();
        sentBefore = sentBytes(agents);
      }
      String id = "r" + seq;
      visibility.registered(id, System.nanoTime(), seq >= measuredFrom);
      plain
          .get(seq % plain.size())
          .catalogue()
          .register(
              new ServiceRegistration(
                  "bench-" + (seq % SERVICES),
                  id,
                  "127.0.0.1",
                  8080,
                  List.of(),
                  Map.of(),
                  Weights.DEFAULT,
                  List.of()),
              ServiceInstance.AGENT_SESSION);
    }
    double measuredSeconds = (System.nanoTime() - measuredStart) / 1e9;
    long[] sentAfter = sentBytes(agents);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (visibility.pending() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    scanner.shutdownNow();
    visibility.print(agents.size(), rate, seconds, measuredSeconds);
    printBytes(agents, sentBefore, sentAfter, measuredSeconds);
  }

  /**
   * Follows one agent's views: the time a view is published is noted on the agent's loop and the
   * next wait is chained at once, so a busy scanner delays only the counting, never the timestamps.
   */
  private static void watch(Agent agent, long after, Visibility visibility, ExecutorService scan) {
    agent
        .catalogue()
        .awaitIndexAbove(after, Duration.ofSeconds(30))
        .whenComplete(
            (view, failure) -> {
              if (failure != null || scan.isShutdown()) {
                return;
              }
              long seenAt = System.nanoTime();
              watch(agent, view.index(), visibility, scan);
              try {
                scan.execute(() -> visibility.scan(view, after, seenAt));
              } catch (java.util.concurrent.RejectedExecutionException e) {
                // the run is over
              }
            });
  }

  private static long[] sentBytes(List<Agent> agents) {
    long[] sent = new long[agents.size()];
    for (int i = 0; i < agents.size(); i++) {
      sent[i] = agents.get(i).catalogueReplication().stats().bytesSent();
    }
    return sent;
  }

  private static void printBytes(
      List<Agent> agents, long[] before, long[] after, double measuredSeconds) {
    System.out.println();
    System.out.println("| agent | catalogue bytes sent per second | frames sent | forged |");
    System.out.println("|---|---|---|---|");
    for (int i = 0; i < agents.size(); i++) {
      RelayStats stats = agents.get(i).catalogueReplication().stats();
      System.out.printf(
          Locale.ROOT,
          "| %s | %,.0f | %,d | %d |%n",
          agents.get(i).config().nodeName(),
          (after[i] - before[i]) / measuredSeconds,
          stats.framesSent(),
          stats.forged());
    }
  }

  /** When each registration was made and when the last agent first saw it. */
  private static final class Visibility {
    private final int agents;
    private final Map<String, long[]> seen = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final List<Long> latenciesNanos =
        java.util.Collections.synchronizedList(new ArrayList<>());

    Visibility(int agents) {
      this.agents = agents;
    }

    /** [registered at, agents that saw it, measured (1) or warm-up (0)] */
    void registered(String id, long at, boolean measured) {
      seen.put(id, new long[] {at, 0, measured ? 1 : 0});
      pending.incrementAndGet();
    }

    int pending() {
      return pending.get();
    }

    /** On the scanner thread: the services changed since {@code after}, their new instances. */
    void scan(CatalogView view, long after, long seenAt) {
      for (String service : view.serviceNames()) {
        if (view.serviceIndex(service) <= after) {
          continue;
        }
        for (CatalogEntry entry : view.instances(service)) {
          if (entry.createIndex() > after) { // created here since the last view
            sawFirstTime(entry.instance().id(), seenAt);
          }
        }
      }
    }

    private void sawFirstTime(String id, long seenAt) {
      long[] record = seen.get(id);
      if (record == null || record[1] >= agents) {
        return;
      }
      record[1]++;
      if (record[1] == agents) {
        pending.decrementAndGet();
        if (record[2] == 1) {
          latenciesNanos.add(seenAt - record[0]);
        }
      }
    }

    void print(int agentCount, int rate, int seconds, double measuredSeconds) {
      long[] sorted =
          List.copyOf(latenciesNanos).stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf(
          Locale.ROOT,
          "| agents | rate (registrations/s) | measured | visible on every agent: p50 / p99 / max"
              + " (ms) | not visible everywhere after 30 s |%n|---|---|---|---|---|%n"
              + "| %d | %d | %d s (%.1f s) | %.1f / %.1f / %.1f | %d |%n",
          agentCount,
          rate,
          seconds,
          measuredSeconds,
          percentile(sorted, 0.50),
          percentile(sorted, 0.99),
          sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6,
          pending.get());
      if (sorted.length == 0) {
        System.out.println("no measured registration became visible everywhere");
      }
    }

    private static double percentile(long[] sorted, double p) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
  }
}
