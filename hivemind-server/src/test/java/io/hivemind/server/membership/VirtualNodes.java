package io.hivemind.server.membership;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.server.loop.ManualLoop;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * Membership services on one {@link ManualLoop} over a {@link FakeNetwork}: the real service,
 * driver and core, with no socket, no thread and no wall clock. Node {@code i} (from 1) listens at
 * {@code 10.0.0.i:7946}; every node's randomness is seeded, so a run replays exactly. Host names
 * resolve through {@link #dns}; lookups run as loop tasks unless a test gives another executor.
 *
 * <p>Public so that the metrics tests can read a virtual cluster; everything runs on the test
 * thread.
 */
public final class VirtualNodes implements AutoCloseable {

  static final String CLUSTER = "virtual";
  static final int PORT = 7946;

  /** The local profile: seconds of virtual time to converge or detect a failure. */
  static final MembershipConfig PROFILE = MembershipConfig.local();

  /** Virtual time allowed for convergence or failure detection; a failing run reaches it fast. */
  static final Duration CONVERGE = Duration.ofSeconds(60);

  private final ManualLoop loop = new ManualLoop();
  final FakeNetwork network = new FakeNetwork(loop, PROFILE.streamTimeout());

  /** Host name → address, for seeds given by name; a name missing here does not resolve. */
  final Map<String, InetAddress> dns = new HashMap<>();

  /** Lookups done so far, by host name. */
  final List<String> lookups = new ArrayList<>();

  private final List<MembershipService> started = new ArrayList<>();
  private Executor resolverExecutor = loop::execute;
  private int nextHost = 1;
  private int nextSilent = 1;

  public ManualLoop loop() {
    return loop;
  }

  /** Where seed lookups run from now on (by default, as loop tasks). */
  void resolverExecutor(Executor executor) {
    resolverExecutor = executor;
  }

  /** The address the next node started will listen at. */
  Address nextAddress() {
    return new Address("10.0.0." + nextHost, PORT);
  }

  public MembershipService start(String name) {
    return start(name, b -> b);
  }

  MembershipService start(String name, UnaryOperator<MembershipServiceConfig.Builder> custom) {
    Address address = nextAddress();
    int host = nextHost++;
    MembershipServiceConfig config =
        custom
            .apply(
                MembershipServiceConfig.builder(name, Environment.TESTING)
                    .cluster(CLUSTER)
                    .bindHost(address.host())
                    .bindPort(PORT)
                    .membership(PROFILE)
                    .joinTimeout(Duration.ofSeconds(5))
                    .clockMillis(loop::nowMillis)
                    .hostResolver(this::resolve))
            .build();
    MembershipService.Wiring wiring =
        new MembershipService.Wiring(
            loop, network.binder(address), resolverExecutor, new SplittableRandom(host), () -> {});
    MembershipService service = MembershipService.start(config, wiring);
    started.add(service);
    return service;
  }

  /** Starts {@code count} nodes named {@code prefix-i}, joins them through the first, converges. */
  public List<MembershipService> startCluster(String prefix, int count) {
    List<MembershipService> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(start(prefix + "-" + i));
    }
    for (MembershipService node : nodes.subList(1, count)) {
      node.join(List.of(nodes.get(0).advertisedAddress()));
    }
    awaitAllSee(nodes, names(nodes), MemberState.ALIVE);
    return nodes;
  }

  private List<InetAddress> resolve(String host) throws UnknownHostException {
    lookups.add(host);
    InetAddress address = dns.get(host);
    if (address == null) {
      throw new UnknownHostException(host);
    }
    return List.of(address);
  }

  /** An address record for {@code dns}, built without a lookup. */
  static InetAddress ip(String host, String literal) {
    String[] parts = literal.split("\\.");
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      bytes[i] = (byte) Integer.parseInt(parts[i]);
    }
    try {
      return InetAddress.getByAddress(host, bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  /** Runs the loop for {@code duration} of virtual time. */
  public void runFor(Duration duration) {
    loop.advance(duration.toMillis());
  }

  /** Runs the loop until every observer sees every named member in {@code state}. */
  public void awaitAllSee(
      Collection<MembershipService> observers, Collection<String> names, MemberState state) {
    loop.advanceUntil(() -> allSee(observers, names, state), CONVERGE.toMillis());
  }

  static boolean allSee(
      Collection<MembershipService> observers, Collection<String> names, MemberState state) {
    return observers.stream()
        .allMatch(o -> names.stream().allMatch(n -> stateOf(o, n).equals(Optional.of(state))));
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

  /**
   * An address no node has, whose streams connect and are never answered (a hung seed); each call
   * gives another.
   */
  public Address silentAddress() {
    Address silent = new Address("10.0.8." + nextSilent++, PORT);
    network.silence(silent);
    return silent;
  }

  /** Streams any node opened to {@code to} so far. */
  public int streamsOpenedTo(Address to) {
    return network.streamsOpenedTo(to);
  }

  /** Delivers {@code bytes} to {@code to} as a datagram from an address no node has. */
  public void inject(MembershipService to, byte[] bytes) {
    network.inject(new Address("10.9.9.9", PORT), to.advertisedAddress(), bytes);
  }

  @Override
  public void close() {
    started.forEach(MembershipService::close);
  }
}
