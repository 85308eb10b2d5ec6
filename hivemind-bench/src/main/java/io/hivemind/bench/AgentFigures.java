package io.hivemind.bench;

import io.hivemind.api.Environment;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.membership.MembershipServiceConfig;
import io.hivemind.server.transport.GossipLoops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Scenario benchmark of the real transport: N membership services on loopback in one JVM (real UDP
 * and TCP sockets, one shared Netty event-loop group), all started together and joined through the
 * first. Prints join convergence (until every node has heard every other join) and, after one node
 * is closed abruptly, crash detection (until every live node marks it DEAD).
 *
 * <p>Run: {@code java -cp hivemind-bench/target/benchmarks.jar io.hivemind.bench.AgentFigures
 * [--nodes 20,50] [--profile lan,local] [--rounds 3] [--threads 2]}.
 */
public final class AgentFigures {

  private AgentFigures() {}

  public static void main(String[] args) throws InterruptedException {
    List<Integer> sizes = List.of(20, 50);
    List<String> profiles = List.of("lan", "local");
    int rounds = 3;
    int threads = 2;
    Integer retransmitMult = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--nodes" -> sizes = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
        case "--profile" -> profiles = List.of(value.split(","));
        case "--rounds" -> rounds = Integer.parseInt(value);
        case "--threads" -> threads = Integer.parseInt(value);
        case "--retransmit-mult" -> retransmitMult = Integer.valueOf(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.println(
        "| N | profile | round | all know all (s) | crash → first DEAD (s) |"
            + " crash → DEAD everywhere (s) |");
    System.out.println("|---|---|---|---|---|---|");
    try (GossipLoops group = GossipLoops.create(threads, "bench-gossip")) {
      for (int nodes : sizes) {
        for (String profile : profiles) {
          for (int round = 1; round <= rounds; round++) {
            MembershipConfig membership = MembershipConfig.profile(profile);
            if (retransmitMult != null) {
              membership = membership.toBuilder().retransmitMult(retransmitMult).build();
            }
            System.out.println(run(group, nodes, profile, membership, round));
          }
        }
      }
    }
  }

  private static String run(
      GossipLoops group, int nodes, String profile, MembershipConfig membership, int round)
      throws InterruptedException {
    String cluster = "bench-" + profile + "-" + nodes + "-" + round;
    // (observer, member) -> when the observer first saw the member join / fail.
    ConcurrentHashMap<String, Long> joinedAt = new ConcurrentHashMap<>();
    ConcurrentHashMap<String, Long> failedAt = new ConcurrentHashMap<>();
    List<MembershipService> services = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < nodes; i++) {
        String name = "n" + i;
        MembershipService service =
            MembershipService.start(
                MembershipServiceConfig.builder(name, Environment.TESTING)
                    .cluster(cluster)
                    .bindHost("127.0.0.1")
                    .bindPort(0)
                    .membership(membership)
                    .build(),
                group);
        service.addListener(
            event -> {
              String key = name + ">" + event.member().name();
              if (event.type() == MembershipEvent.Type.MEMBER_JOINED) {
                joinedAt.putIfAbsent(key, System.nanoTime());
              } else if (event.type() == MembershipEvent.Type.MEMBER_FAILED) {
                failedAt.putIfAbsent(key, System.nanoTime());
              }
            });
        services.add(service);
      }
      Address seed = services.get(0).advertisedAddress();
      for (int i = 1; i < nodes; i++) {
        services.get(i).join(List.of(seed));
      }
      long pairs = (long) nodes * (nodes - 1);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (joinedAt.size() < pairs && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      String converged =
          joinedAt.size() < pairs
              ? "not in 60 s (" + joinedAt.size() + " of " + pairs + " pairs)"
              : seconds(joinedAt.values().stream().mapToLong(t -> t).max().orElseThrow() - start)
                  + lastPairs(joinedAt, start);

      Thread.sleep(2_000); // let the cluster settle before the crash
      MembershipService victim = services.get(nodes - 1);
      String victimName = victim.name();
      long crashAt = System.nanoTime();
      victim.close();
      int observers = nodes - 1;
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (countFailed(failedAt, victimName) < observers && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      List<Long> failures =
          failedAt.entrySet().stream()
              .filter(e -> e.getKey().endsWith(">" + victimName))
              .map(e -> e.getValue() - crashAt)
              .sorted()
              .toList();
      String first = failures.isEmpty() ? "never" : seconds(failures.get(0));
      String all =
          failures.size() < observers
              ? failures.size() + " of " + observers + " in 120 s"
              : seconds(failures.get(failures.size() - 1));
      return String.format(
          Locale.ROOT,
          "| %d | %s | %d | %s | %s | %s |",
          nodes,
          profile,
          round,
          converged,
          first,
          all);
    } finally {
      services.forEach(MembershipService::close);
    }
  }

  /** The (observer > member) pairs heard more than 2 s after the start: where a tail comes from. */
  private static String lastPairs(ConcurrentHashMap<String, Long> joinedAt, long start) {
    List<String> late =
        joinedAt.entrySet().stream()
            .filter(e -> e.getValue() - start > TimeUnit.SECONDS.toNanos(2))
            .map(e -> e.getKey() + " " + seconds(e.getValue() - start))
            .sorted()
            .toList();
    return late.isEmpty() ? "" : " (late: " + String.join(", ", late) + ")";
  }

  private static long countFailed(ConcurrentHashMap<String, Long> failedAt, String victim) {
    return failedAt.keySet().stream().filter(k -> k.endsWith(">" + victim)).count();
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
  }
}
