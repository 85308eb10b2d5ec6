package io.hivemind.it.membership;

import static org.awaitility.Awaitility.await;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.membership.MembershipServiceConfig;
import io.hivemind.server.transport.GossipLoops;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Membership services on loopback sharing one group of gossip loops, as {@code hivemind dev} runs
 * them; closes them all at the end. Real sockets and the wall clock: the unit tests of
 * hivemind-server run the same service on a manual loop over an in-memory network instead. Public
 * for the hostile-input ITs, which forge packets at such a cluster.
 */
public final class LoopbackNodes implements AutoCloseable {

  public static final String CLUSTER = "test-cluster";
  public static final Environment ENVIRONMENT = Environment.TESTING;

  /** The local profile; convergence and failure detection take seconds on loopback. */
  public static final MembershipConfig PROFILE = MembershipConfig.local();

  /** Long enough for failure detection under a loaded CI machine, short for a passing run. */
  public static final Duration CONVERGE = Duration.ofSeconds(30);

  private final GossipLoops loops = GossipLoops.create(2, "test-gossip");
  private final List<MembershipService> started = new ArrayList<>();

  /** A node on 127.0.0.1 with a free port, the test cluster and environment, no key. */
  public static MembershipServiceConfig.Builder config(String name) {
    return config(name, ENVIRONMENT);
  }

  public static MembershipServiceConfig.Builder config(String name, Environment environment) {
    return MembershipServiceConfig.builder(name, environment)
        .cluster(CLUSTER)
        .bindHost("127.0.0.1")
        .bindPort(0)
        .membership(PROFILE)
        .joinTimeout(Duration.ofSeconds(5));
  }

  public MembershipService start(String name) {
    return start(name, b -> b);
  }

  public MembershipService start(
      String name, UnaryOperator<MembershipServiceConfig.Builder> custom) {
    return start(custom.apply(config(name)).build());
  }

  public MembershipService start(MembershipServiceConfig config) {
    MembershipService service = MembershipService.start(config, loops);
    started.add(service);
    return service;
  }

  /** Starts {@code count} nodes named {@code prefix-i}, all joined through the first. */
  public List<MembershipService> startCluster(
      String prefix, int count, UnaryOperator<MembershipServiceConfig.Builder> custom) {
    List<MembershipService> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(start(prefix + "-" + i, custom));
    }
    for (MembershipService node : nodes.subList(1, count)) {
      node.join(List.of(nodes.get(0).advertisedAddress())).join();
    }
    awaitAllSee(nodes, names(nodes), MemberState.ALIVE);
    return nodes;
  }

  public static Optional<MemberState> stateOf(MembershipService observer, String name) {
    return observer.members().stream()
        .filter(m -> m.name().equals(name))
        .map(Member::state)
        .findFirst();
  }

  public static List<String> names(Collection<MembershipService> nodes) {
    return nodes.stream().map(MembershipService::name).toList();
  }

  /** Waits until every observer sees every named member in {@code state}. */
  public static void awaitAllSee(
      Collection<MembershipService> observers, Collection<String> names, MemberState state) {
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                observers.stream()
                    .allMatch(
                        o ->
                            names.stream()
                                .allMatch(n -> stateOf(o, n).equals(Optional.of(state)))));
  }

  @Override
  public void close() {
    started.forEach(MembershipService::close);
    loops.close();
  }
}
