package io.hivemind.bench;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.ApplyOutcome;
import io.hivemind.core.catalog.CatalogDecodeException;
import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogMessage;
import io.hivemind.core.catalog.CatalogReplica;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckKind;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.Weights;
import io.hivemind.core.catalog.WireCatalogCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Heap held by one replica of a large catalogue (issue 11: "memory of a replica holding 100,000
 * instances"). Fills a core {@link CatalogReplica} the way an agent's replica fills: every owner's
 * registrations arrive as deltas encoded and decoded by {@link WireCatalogCodec}, so each instance
 * carries the strings a decoded frame gives it (nothing shared with the bench's own copies).
 * Instances look like Consul's: a service of {@code --services} names, an id, an IPv4 address, a
 * port, two tags, two meta keys, default weights and one HTTP check with Consul's default name and
 * a typical output.
 *
 * <p>Prints the retained heap after full collections: the empty replica, the filled replica, and
 * the filled replica plus one published {@link CatalogView} (what HTTP and DNS read); per instance.
 * Heap figures are the JVM's used heap after {@link System#gc()} until it stops shrinking, so run
 * it with the serial collector, which collects everything on each call:
 *
 * <p>{@code java -XX:+UseSerialGC -cp hivemind-bench/target/benchmarks.jar
 * io.hivemind.bench.CatalogMemoryFigures [--instances 100000] [--owners 100] [--services 1000]
 * [--batch 10] [--hold-seconds 0]}; {@code --hold-seconds} keeps the filled replica that long at
 * the end, for {@code jcmd PID GC.class_histogram}.
 */
public final class CatalogMemoryFigures {

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private CatalogMemoryFigures() {}

  public static void main(String[] args) throws Exception {
    int instances = 100_000;
    int owners = 100;
    int services = 1_000;
    int batch = 10;
    int holdSeconds = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      int value = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--instances" -> instances = value;
        case "--owners" -> owners = value;
        case "--services" -> services = value;
        case "--batch" -> batch = value;
        case "--hold-seconds" -> holdSeconds = value;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    CatalogReplica replica = run(instances, owners, services, batch);
    // Time to take a class histogram of what the replica holds: jcmd PID GC.class_histogram.
    Thread.sleep(holdSeconds * 1000L);
    Reference.reachabilityFence(replica);
  }

  private static CatalogReplica run(int instances, int owners, int services, int batch)
      throws CatalogDecodeException {
    CatalogReplica replica = new CatalogReplica();
    long empty = retainedHeap();
    for (int owner = 0; owner < owners; owner++) {
      replica.ownerAdmitted(ownerName(owner));
    }
    fill(replica, instances, owners, services, batch);
    long filled = retainedHeap();
    CatalogView view = replica.view();
    long withView = retainedHeap();
    if (view.instanceCount() != instances || replica.instanceCount() != instances) {
      throw new IllegalStateException(
          "the replica holds " + replica.instanceCount() + " instances, not " + instances);
    }
    print(instances, owners, view.serviceNames().size(), empty, filled, withView);
    return replica;
  }

  /**
   * Each owner's share of the instances (instance n belongs to owner n mod owners, so a service's
   * instances spread over the owners), in deltas of {@code batch} through the codec.
   */
  private static void fill(
      CatalogReplica replica, int instances, int owners, int services, int batch)
      throws CatalogDecodeException {
    for (int owner = 0; owner < owners; owner++) {
      String name = ownerName(owner);
      List<ServiceInstance> pending = new ArrayList<>(batch);
      long seq = 0;
      for (int n = owner; n < instances; n += owners) {
        pending.add(instance(n, name, services));
        if (pending.size() == batch || n + owners >= instances) {
          applyDecoded(replica, new CatalogDelta(name, 1, seq, seq + 1, pending, List.of()));
          seq++;
          pending.clear();
        }
      }
    }
  }

  private static void applyDecoded(CatalogReplica replica, CatalogDelta delta)
      throws CatalogDecodeException {
    byte[] frame = WireCatalogCodec.encode(new CatalogMessage.Deltas(List.of(delta)));
    CatalogMessage decoded = WireCatalogCodec.decode(frame);
    for (CatalogDelta received : ((CatalogMessage.Deltas) decoded).deltas()) {
      if (replica.apply(received) != ApplyOutcome.APPLIED) {
        throw new IllegalStateException("delta not applied: " + received.owner());
      }
    }
  }

  private static String ownerName(int owner) {
    return String.format(Locale.ROOT, "node-%03d", owner);
  }

  private static ServiceInstance instance(int n, String owner, int services) {
    String service = String.format(Locale.ROOT, "service-%04d", n % services);
    String id = service + "-" + Integer.toHexString(0x10000000 + n);
    String address =
        String.format(Locale.ROOT, "10.%d.%d.%d", (n >> 16) & 255, (n >> 8) & 255, n & 255);
    CheckStatus check =
        new CheckStatus(
            "service:" + id,
            "Service '" + id + "' check",
            CheckKind.HTTP,
            HealthStatus.PASSING,
            "HTTP GET http://" + address + ":8080/health: 200 OK Output: ok");
    return new ServiceInstance(
        service,
        id,
        address,
        8080,
        List.of("v1", n % 2 == 0 ? "primary" : "secondary"),
        Map.of("version", "1.4." + (n % 7), "zone", "zone-" + (char) ('a' + n % 3)),
        Weights.DEFAULT,
        Environment.PRODUCTION,
        owner,
        ServiceInstance.AGENT_SESSION,
        List.of(check));
  }

  /** Used heap after full collections, once a further one frees less than 64 KB. */
  private static long retainedHeap() {
    long before = Long.MAX_VALUE;
    long used = usedAfterGc();
    for (int round = 0; round < 10 && before - used > 64 << 10; round++) {
      before = used;
      used = usedAfterGc();
    }
    return used;
  }

  private static long usedAfterGc() {
    System.gc();
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  private static void print(
      int instances, int owners, int services, long empty, long filled, long withView) {
    double mb = 1024.0 * 1024.0;
    System.out.printf(
        Locale.ROOT,
        "%,d instances of %,d services from %,d owners (decoded deltas)%n",
        instances,
        services,
        owners);
    System.out.printf(Locale.ROOT, "retained heap, empty replica:  %8.1f MB%n", empty / mb);
    System.out.printf(
        Locale.ROOT,
        "replica filled:                %8.1f MB  (+%.1f MB, %d bytes per instance)%n",
        filled / mb,
        (filled - empty) / mb,
        (filled - empty) / instances);
    System.out.printf(
        Locale.ROOT,
        "replica + published view:      %8.1f MB  (view +%.1f MB, %d bytes per instance)%n",
        withView / mb,
        (withView - filled) / mb,
        (withView - filled) / instances);
  }
}
