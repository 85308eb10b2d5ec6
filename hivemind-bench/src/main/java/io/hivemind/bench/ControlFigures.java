package io.hivemind.bench;

import io.hivemind.control.ControlConfig;
import io.hivemind.control.PeerAddress;
import io.hivemind.control.RatisControlPlane;
import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.server.control.ControlStatus;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Figures of the Ratis control plane: control nodes in one JVM on loopback, each with its own data
 * directory (fsynced log). Prints the time to a leader after start and after the leader is closed,
 * and the commit rate and latency of sequential and pipelined writes (KV sets of 64 bytes) proposed
 * on the leader. With {@code --rss}, one single-voter node instead: its RSS and CPU while idle.
 *
 * <p>Run: {@code java -cp hivemind-bench/target/benchmarks.jar io.hivemind.bench.ControlFigures
 * [--nodes 3] [--writes 2000] [--in-flight 64] [--rounds 3] [--dir /tmp/x]} or {@code ... --rss
 * [--idle-seconds 30]}.
 */
public final class ControlFigures {

  /** The value of each write: 64 bytes, a typical small KV entry. */
  private static final byte[] VALUE = "x".repeat(64).getBytes(StandardCharsets.UTF_8);

  private ControlFigures() {}

  public static void main(String[] args) throws Exception {
    int nodes = 3;
    int writes = 2_000;
    int inFlight = 64;
    int rounds = 3;
    int idleSeconds = 30;
    boolean rss = false;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--writes" -> writes = Integer.parseInt(args[++i]);
        case "--in-flight" -> inFlight = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--idle-seconds" -> idleSeconds = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "--rss" -> rss = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path root = dir != null ? dir : Files.createTempDirectory("control-figures");
    if (rss) {
      footprint(root, idleSeconds);
    } else {
      System.out.println(
          "| round | leader after start (ms) | sequential: commits/s, p50, p99 (ms) |"
              + " pipelined x"
              + inFlight
              + ": commits/s, p50, p99 (ms) | new leader after close (ms) |");
      System.out.println("|---|---|---|---|---|");
      for (int round = 1; round <= rounds; round++) {
        System.out.println(round(root.resolve("round" + round), round, nodes, writes, inFlight));
      }
    }
    System.exit(0);
  }

  private static String round(Path root, int round, int count, int writes, int inFlight)
      throws Exception {
    List<RatisControlPlane> planes = form(root, count);
    try {
      long started = System.nanoTime();
      RatisControlPlane leader = awaitLeader(planes);
      double electionMillis = millisSince(started);
      leader.submit(new ControlCommand.Bootstrap("bench", "testing")).get(10, TimeUnit.SECONDS);
      String sequential = sequential(leader, writes / 4);
      String pipelined = pipelined(leader, writes, inFlight);
      planes.remove(leader);
      long closed = System.nanoTime();
      leader.close();
      awaitLeader(planes);
      double failoverMillis = millisSince(closed);
      return String.format(
          Locale.ROOT,
          "| %d | %.0f | %s | %s | %.0f |",
          round,
          electionMillis,
          sequential,
          pipelined,
          failoverMillis);
    } finally {
      planes.forEach(RatisControlPlane::close);
    }
  }

  private static List<RatisControlPlane> form(Path root, int count) throws IOException {
    List<PeerAddress> peers = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      peers.add(new PeerAddress("n" + i, "127.0.0.1:" + FreePorts.tcpAndUdp()));
    }
    List<RatisControlPlane> planes = new ArrayList<>();
    for (PeerAddress p : peers) {
      int port = Integer.parseInt(p.address().substring(p.address().indexOf(':') + 1));
      RatisControlPlane plane =
          new RatisControlPlane(
              ControlConfig.of(
                  p.id(), "127.0.0.1", port, root.resolve(p.id()), "bench", "testing", peers));
      plane.start();
      planes.add(plane);
    }
    return planes;
  }

  /** Polls until every node names the same leader; answers it. */
  private static RatisControlPlane awaitLeader(List<RatisControlPlane> planes)
      throws InterruptedException {
    while (true) {
      String leader = null;
      boolean agreed = true;
      for (RatisControlPlane plane : planes) {
        ControlStatus status = plane.status();
        if (status.degraded() || (leader != null && !leader.equals(status.leaderAddress()))) {
          agreed = false;
          break;
        }
        leader = status.leaderAddress();
      }
      if (agreed) {
        for (RatisControlPlane plane : planes) {
          if (plane.address().equals(leader)) {
            return plane;
          }
        }
      }
      Thread.sleep(5);
    }
  }

  private static String sequential(RatisControlPlane leader, int writes) throws Exception {
    long[] latencies = new long[writes];
    long started = System.nanoTime();
    for (int i = 0; i < writes; i++) {
      long t0 = System.nanoTime();
      expectApplied(leader.submit(kvSet("s" + i)).get(10, TimeUnit.SECONDS));
      latencies[i] = System.nanoTime() - t0;
    }
    return summary(writes, started, latencies);
  }

  private static String pipelined(RatisControlPlane leader, int writes, int inFlight)
      throws Exception {
    long[] latencies = new long[writes];
    Semaphore window = new Semaphore(inFlight);
    List<CompletableFuture<ApplyResult>> all = new ArrayList<>(writes);
    long started = System.nanoTime();
    for (int i = 0; i < writes; i++) {
      window.acquire();
      int slot = i;
      long t0 = System.nanoTime();
      all.add(
          leader
              .submit(kvSet("p" + i))
              .whenComplete(
                  (r, e) -> {
                    latencies[slot] = System.nanoTime() - t0;
                    window.release();
                  }));
    }
    for (CompletableFuture<ApplyResult> f : all) {
      expectApplied(f.get(30, TimeUnit.SECONDS));
    }
    return summary(writes, started, latencies);
  }

  private static void expectApplied(ApplyResult result) {
    if (!(result instanceof ApplyResult.Applied)) {
      throw new IllegalStateException("write refused: " + result);
    }
  }

  private static String summary(int writes, long startedNanos, long[] latencies) {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return String.format(
        Locale.ROOT,
        "%.0f/s, %.1f, %.1f",
        writes / seconds,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6);
  }

  /** One single-voter node: RSS and CPU after 1,000 commits and an idle window. */
  private static void footprint(Path root, int idleSeconds) throws Exception {
    int port = FreePorts.tcpAndUdp();
    PeerAddress self = new PeerAddress("solo", "127.0.0.1:" + port);
    try (RatisControlPlane plane =
        new RatisControlPlane(
            ControlConfig.of(
                "solo",
                "127.0.0.1",
                port,
                root.resolve("solo"),
                "bench",
                "control",
                List.of(self)))) {
      plane.start();
      awaitLeader(List.of(plane));
      plane.submit(new ControlCommand.Bootstrap("bench", "testing")).get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 1_000; i++) {
        plane.submit(kvSet("k" + (i % 100))).get(10, TimeUnit.SECONDS);
      }
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      Thread.sleep(idleSeconds * 1_000L);
      double cpuPercent = 100.0 * (processCpuNanos() - cpu0) / (System.nanoTime() - t0);
      System.out.printf(
          Locale.ROOT,
          "control node (1 voter), idle %d s after 1,000 commits: RSS %s, CPU %.2f %%, %d threads,"
              + " %d classes%n",
          idleSeconds,
          vmRss(),
          cpuPercent,
          ManagementFactory.getThreadMXBean().getThreadCount(),
          ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
    }
    deleteTree(root);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String vmRss() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("VmRSS:"))
        .map(l -> l.substring("VmRSS:".length()).trim())
        .findFirst()
        .orElse("?");
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static ControlCommand kvSet(String key) {
    return new ControlCommand.KvSet(key, VALUE, 0, -1);
  }

  private static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
