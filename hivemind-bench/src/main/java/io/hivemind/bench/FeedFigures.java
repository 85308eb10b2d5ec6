package io.hivemind.bench;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.WireControlCodec;
import io.hivemind.core.control.WireGatewayCodec;
import io.hivemind.core.membership.Address;
import io.hivemind.server.control.FollowerConfig;
import io.hivemind.server.control.FollowerControlPlane;
import io.hivemind.server.transport.ControlGatewayClient;
import io.hivemind.server.transport.ControlGatewayServer;
import io.hivemind.server.transport.GatewayServerConfig;
import io.hivemind.server.transport.GossipLoops;
import io.hivemind.testkit.InMemoryControlLog;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Scenario benchmark of the follow feed: one control gateway over an in-memory committed log (no
 * Raft: this measures the fan-out, not consensus), N followers in the same JVM on real loopback TCP
 * connections. Prints, per N: the time for one entry to reach every follower (p50/p99 over
 * sequential entries), the time for a burst to reach all, the gateway's CPU per follower per entry
 * (its event loop plus the publishing thread, not the followers'), the bytes per follower per
 * entry, and the heap the connections cost (both ends, since they share the JVM).
 *
 * <p>Run: {@code java -cp hivemind-bench/target/benchmarks.jar io.hivemind.bench.FeedFigures
 * [--followers 100,1000] [--entries 300] [--burst 1000] [--value-bytes 100]}.
 */
public final class FeedFigures {

  private static final int SETTLE_MILLIS = 2_000;

  private FeedFigures() {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = List.of(100, 1_000);
    int entries = 300;
    int burst = 1_000;
    int valueBytes = 100;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--followers" ->
            sizes = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
        case "--entries" -> entries = Integer.parseInt(value);
        case "--burst" -> burst = Integer.parseInt(value);
        case "--value-bytes" -> valueBytes = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    byte[] entry =
        WireControlCodec.encodeEntry(
            io.hivemind.core.control.ControlEntry.of(0, kv(0, valueBytes)));
    int frameBytes = WireGatewayCodec.encode(new GatewayMessage.Entry(1_000, entry)).length + 4;
    System.out.printf(
        Locale.ROOT,
        "entry: KV set, %d-byte value; %d bytes on the feed a follower (frame + length)%n%n",
        valueBytes,
        frameBytes);
    System.out.println(
        "| followers | entry → all: p50 / p99 (ms) | burst of "
            + burst
            + " → all (ms) | gateway CPU per follower per entry (µs) |"
            + " heap per connection, both ends (KB) |");
    System.out.println("|---|---|---|---|---|");
    for (int followers : sizes) {
      System.out.println(run(followers, entries, burst, valueBytes));
    }
  }

  private static ControlCommand kv(int i, int valueBytes) {
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'x');
    return new ControlCommand.KvSet("bench/key-" + (i % 1_000), value, 0, -1);
  }

  private static String run(int followers, int entries, int burst, int valueBytes)
      throws Exception {
    InMemoryControlLog log = new InMemoryControlLog(10_000, 10_000, "127.0.0.1:7303");
    log.append(new ControlCommand.Bootstrap("bench", "testing"));
    ConcurrentHashMap<Long, CountDownLatch> arrivals = new ConcurrentHashMap<>();
    List<FollowerControlPlane> planes = new ArrayList<>();
    long heapBefore = usedHeap();
    try (ControlGatewayServer server =
            ControlGatewayServer.bind(GatewayServerConfig.of("127.0.0.1", 0), log, null);
        ControlGatewayClient client = ControlGatewayClient.plaintext();
        GossipLoops loops = GossipLoops.create(2, "bench-follower")) {
      List<Address> gateway = List.of(new Address("127.0.0.1", server.port()));
      for (int i = 0; i < followers; i++) {
        FollowerControlPlane plane =
            new FollowerControlPlane(
                FollowerConfig.defaults(), loops.next(), client, () -> gateway, new Random(i));
        plane.addListener(
            view -> {
              CountDownLatch latch = arrivals.get(view.index());
              if (latch != null) {
                latch.countDown();
              }
            });
        planes.add(plane);
        plane.start();
      }
      awaitFollowing(server, followers);
      Thread.sleep(SETTLE_MILLIS);
      long heapPerConnection = (usedHeap() - heapBefore) / followers;

      long[] latencies = new long[entries];
      // The gateway's loop writes; the publishing thread (a control node's apply thread) applies
      // the entry and queues it to every channel: both are the control node's cost.
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpuBefore = gatewayCpuNanos() + threads.getCurrentThreadCpuTime();
      for (int i = 0; i < entries; i++) {
        latencies[i] = deliver(log, arrivals, followers, i, valueBytes);
      }
      long cpuNanos = gatewayCpuNanos() + threads.getCurrentThreadCpuTime() - cpuBefore;
      long burstMillis = burst(log, arrivals, followers, burst, valueBytes);
      Arrays.sort(latencies);
      planes.forEach(FollowerControlPlane::close);
      return String.format(
          Locale.ROOT,
          "| %d | %.1f / %.1f | %d | %.2f | %.1f |",
          followers,
          latencies[entries / 2] / 1e6,
          latencies[(int) (entries * 0.99)] / 1e6,
          burstMillis,
          cpuNanos / 1e3 / entries / followers,
          heapPerConnection / 1024.0);
    }
  }

  /** Appends one entry and waits until every follower applied it; returns the nanoseconds. */
  private static long deliver(
      InMemoryControlLog log,
      ConcurrentHashMap<Long, CountDownLatch> arrivals,
      int followers,
      int i,
      int valueBytes)
      throws InterruptedException {
    long index = log.view().index() + 1;
    CountDownLatch latch = new CountDownLatch(followers);
    arrivals.put(index, latch);
    long start = System.nanoTime();
    log.append(kv(i, valueBytes));
    if (!latch.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(latch.getCount() + " followers never got entry " + index);
    }
    arrivals.remove(index);
    return System.nanoTime() - start;
  }

  private static long burst(
      InMemoryControlLog log,
      ConcurrentHashMap<Long, CountDownLatch> arrivals,
      int followers,
      int burst,
      int valueBytes)
      throws InterruptedException {
    long last = log.view().index() + burst;
    CountDownLatch latch = new CountDownLatch(followers);
    arrivals.put(last, latch);
    long start = System.nanoTime();
    for (int i = 0; i < burst; i++) {
      log.append(kv(i, valueBytes));
    }
    if (!latch.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(latch.getCount() + " followers never got the burst");
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static void awaitFollowing(ControlGatewayServer server, int followers)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (server.following() < followers) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + server.following() + " of " + followers + " followers connected");
      }
      Thread.sleep(10);
    }
  }

  /** CPU of the gateway's own threads (its event loop), not the followers'. */
  private static long gatewayCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null
          && info.getThreadName().startsWith("hivemind-gateway-")
          && !info.getThreadName().startsWith("hivemind-gateway-client")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
