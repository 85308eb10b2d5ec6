package io.hivemind.bench;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEntry;
import io.hivemind.core.control.ControlState;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.RemovalPolicy;
import io.hivemind.core.control.WireControlCodec;
import io.hivemind.core.control.WireGatewayCodec;
import io.hivemind.core.membership.Address;
import io.hivemind.server.control.GatewayConnection;
import io.hivemind.server.transport.ControlGatewayClient;
import io.hivemind.server.transport.ControlGatewayServer;
import io.hivemind.server.transport.GatewayServerConfig;
import io.hivemind.testkit.InMemoryControlLog;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario benchmark of the follow feed, in two parts.
 *
 * <p><b>The control node's cost for N followers:</b> one control gateway over an in-memory
 * committed log (no Raft: this measures the fan-out, not consensus) and N follower connections in
 * the same JVM on real loopback TCP, each decoding its frames but applying nothing (on a real
 * deployment each follower is another machine). Prints the time for one entry to reach all N
 * (p50/p99 over sequential entries), for a burst to reach all, the gateway's CPU per follower per
 * entry (its event loop plus the publishing thread), and the heap per connection.
 *
 * <p><b>A follower's cost per entry:</b> applying an entry to its replica and publishing the view,
 * measured on one {@link ControlState} on this thread.
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
    byte[] entry = WireControlCodec.encodeEntry(ControlEntry.of(0, kv(0, valueBytes)));
    int frameBytes = WireGatewayCodec.encode(new GatewayMessage.Entry(1_000, entry)).length + 4;
    System.out.printf(
        Locale.ROOT,
        "entry: KV set of a %d-byte value; %d bytes on the feed to each follower"
            + " (frame + length)%n%n",
        valueBytes,
        frameBytes);
    System.out.println(
        "| followers | entry → all: p50 / p99 (ms) | burst of "
            + burst
            + " → all (ms) | gateway CPU per follower per entry, µs (of it on the"
            + " applying thread) |"
            + " heap per connection, both ends (KB) |");
    System.out.println("|---|---|---|---|---|");
    for (int followers : sizes) {
      System.out.println(run(followers, entries, burst, valueBytes));
    }
    System.out.println();
    followerApply(valueBytes);
  }

  private static ControlCommand kv(int i, int valueBytes) {
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'x');
    return new ControlCommand.KvSet("bench/key-" + (i % 1_000), value, 0, -1);
  }

  /** A follower that decodes its frames and notes the entries' indexes, and nothing more. */
  private static final class CountingFollower implements GatewayConnection.Listener {
    static volatile boolean closing;

    final ConcurrentHashMap<Long, CountDownLatch> arrivals;
    final AtomicInteger following;
    final java.util.concurrent.atomic.AtomicBoolean heard =
        new java.util.concurrent.atomic.AtomicBoolean();

    CountingFollower(ConcurrentHashMap<Long, CountDownLatch> arrivals, AtomicInteger following) {
      this.arrivals = arrivals;
      this.following = following;
    }

    @Override
    public void onOpen() {
      // run() sends the Follow; the connection queues it until it is connected
    }

    @Override
    public void onMessage(GatewayMessage message) {
      if (message instanceof GatewayMessage.Heartbeat && heard.compareAndSet(false, true)) {
        following.incrementAndGet(); // the gateway answers a Follow with a heartbeat first
      } else if (message instanceof GatewayMessage.Entry entry) {
        CountDownLatch latch = arrivals.get(entry.index());
        if (latch != null) {
          latch.countDown();
        }
      }
    }

    @Override
    public void onClosed(String reason) {
      if (!closing) {
        System.err.println("a follower's connection closed early: " + reason);
      }
    }
  }

  private static String run(int followers, int entries, int burst, int valueBytes)
      throws Exception {
    InMemoryControlLog log = new InMemoryControlLog(10_000, 10_000, "127.0.0.1:7303");
    log.append(new ControlCommand.Bootstrap("bench", "testing"));
    ConcurrentHashMap<Long, CountDownLatch> arrivals = new ConcurrentHashMap<>();
    AtomicInteger following = new AtomicInteger();
    CountingFollower.closing = false;
    long heapBefore = usedHeap();
    try (ControlGatewayServer server =
            ControlGatewayServer.bind(
                GatewayServerConfig.of("127.0.0.1", 0, "testing"), log, null);
        ControlGatewayClient client = ControlGatewayClient.plaintext()) {
      Address gateway = new Address("127.0.0.1", server.port());
      List<GatewayConnection> connections = new ArrayList<>();
      for (int i = 0; i < followers; i++) {
        CountingFollower follower = new CountingFollower(arrivals, following);
        GatewayConnection connection = client.connect(gateway, follower);
        connection.send(new GatewayMessage.Follow(log.view().index(), "", "testing"));
        connections.add(connection);
      }
      awaitFollowing(following, followers);
      Thread.sleep(SETTLE_MILLIS);
      long heapPerConnection = (usedHeap() - heapBefore) / followers;

      long[] latencies = new long[entries];
      // The gateway's loop writes; the publishing thread (a control node's apply thread) applies
      // the entry and queues it to every channel: both are the control node's cost.
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long loopBefore = gatewayCpuNanos();
      long applyBefore = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < entries; i++) {
        latencies[i] = deliver(log, arrivals, followers, i, valueBytes);
      }
      long applyNanos = threads.getCurrentThreadCpuTime() - applyBefore;
      long cpuNanos = gatewayCpuNanos() - loopBefore + applyNanos;
      long burstMillis = burst(log, arrivals, followers, burst, valueBytes);
      Arrays.sort(latencies);
      CountingFollower.closing = true;
      connections.forEach(GatewayConnection::close);
      return String.format(
          Locale.ROOT,
          "| %d | %.1f / %.1f | %d | %.2f (%.2f) | %.1f |",
          followers,
          latencies[entries / 2] / 1e6,
          latencies[(int) (entries * 0.99)] / 1e6,
          burstMillis,
          cpuNanos / 1e3 / entries / followers,
          applyNanos / 1e3 / entries / followers,
          heapPerConnection / 1024.0);
    }
  }

  /** Appends one entry and waits until every follower received it; returns the nanoseconds. */
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
    if (!latch.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException(latch.getCount() + " followers never got the burst");
    }
    arrivals.remove(last);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  /** What one follower spends per entry: apply, and a view per entry or per batch of 100. */
  private static void followerApply(int valueBytes) {
    int count = 20_000;
    List<byte[]> encoded = new ArrayList<>();
    encoded.add(
        WireControlCodec.encodeEntry(
            ControlEntry.of(0, new ControlCommand.Bootstrap("bench", "testing"))));
    for (int i = 0; i < count; i++) {
      encoded.add(WireControlCodec.encodeEntry(ControlEntry.of(i, kv(i, valueBytes))));
    }
    for (int batch : new int[] {1, 100, 1, 100}) { // twice: the first pass warms the JIT up
      ControlState state = ControlState.empty(RemovalPolicy.DEFAULT);
      long start = System.nanoTime();
      for (int i = 0; i < encoded.size(); i++) {
        state.apply(i + 1, encoded.get(i));
        if (i % batch == 0) {
          state.view();
        }
      }
      double micros = (System.nanoTime() - start) / 1e3 / encoded.size();
      System.out.printf(
          Locale.ROOT,
          "follower: apply + a view every %d entries (1,000 KV keys): %.1f µs per entry%n",
          batch,
          micros);
    }
  }

  private static void awaitFollowing(AtomicInteger following, int followers)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (following.get() < followers) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + following.get() + " of " + followers + " followers connected");
      }
      Thread.sleep(10);
    }
  }

  /** CPU of the gateway's own threads (its event loop), not the followers'. */
  private static long gatewayCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      String name = info == null ? "" : info.getThreadName();
      if (name.startsWith("hivemind-gateway-") && !name.startsWith("hivemind-gateway-client")) {
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
