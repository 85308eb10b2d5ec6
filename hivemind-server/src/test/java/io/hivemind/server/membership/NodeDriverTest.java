package io.hivemind.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.core.membership.MembershipNode;
import io.hivemind.core.membership.NodeIdentity;
import io.hivemind.server.loop.ManualLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The driver on a manual loop over an in-memory network: ticks, inputs, views, errors, stop. */
class NodeDriverTest {

  private static final Address A = new Address("10.0.0.1", 7946);
  private static final Address B = new Address("10.0.0.2", 7946);

  private final ManualLoop loop = new ManualLoop();
  private final FakeNetwork network = new FakeNetwork(loop, VirtualNodes.PROFILE.streamTimeout());
  private final List<MembershipEvent> events = new ArrayList<>();

  /** A driver whose node is not started yet. */
  private NodeDriver driver() {
    EventDispatcher dispatcher = new EventDispatcher();
    dispatcher.addListener(events::add);
    return new NodeDriver(
        loop,
        loop::nowMillis,
        dispatcher,
        new StreamOutcomes(VirtualNodes.PROFILE.streamTimeout()));
  }

  private MembershipNode node(String name, Address address, NodeDriver driver) {
    return node(name, address, "drivers", driver);
  }

  private MembershipNode node(String name, Address address, String cluster, NodeDriver driver) {
    NodeIdentity identity =
        new NodeIdentity(name, address, cluster, Environment.TESTING, Set.of(), Map.of(), "");
    return new MembershipNode(
        identity, VirtualNodes.PROFILE, new SplittableRandom(address.hashCode()), driver);
  }

  private NodeDriver started(String name, Address address) {
    NodeDriver driver = driver();
    MembershipNode node = node(name, address, driver);
    driver.start(node, network.binder(address).bind(driver));
    return driver;
  }

  /** Two drivers, b joined through a, converged. */
  private List<NodeDriver> pair() {
    NodeDriver a = started("a", A);
    NodeDriver b = started("b", B);
    b.call(node -> run(() -> node.join(List.of(A), b.now())));
    loop.advanceUntil(() -> seesAlive(a, "b") && seesAlive(b, "a"), 10_000);
    return List.of(a, b);
  }

  @Test
  void start_publishesAView_andSchedulesOneTickAtTheNodesNextDeadline() {
    NodeDriver driver = driver();
    MembershipNode node = node("a", A, driver);

    driver.start(node, network.binder(A).bind(driver));

    assertThat(driver.view().self().name()).isEqualTo("a");
    assertThat(driver.view().members()).extracting(Member::name).containsExactly("a");
    assertThat(loop.dueTimes()).containsExactly(node.nextDeadlineMillis());
  }

  @Test
  void ticks_runTheNodesTimers_keepingExactlyOneTickScheduled() {
    NodeDriver driver = started("a", A);

    for (int second = 0; second < 600; second++) {
      loop.advance(1_000);
      assertThat(loop.queued()).as("tasks queued at %d s", second).isEqualTo(1);
    }

    assertThat(loop.tasksRun()).isGreaterThan(600); // gossip, push-pull and reconnect timers
    assertThat(driver.nodeErrors()).isZero();
  }

  @Test
  void twoDrivers_probeEachOther() {
    List<NodeDriver> pair = pair();
    long probes = pair.get(0).view().counters().probes();

    loop.advance(10_000);

    assertThat(pair.get(0).view().counters().probes()).isGreaterThan(probes);
    assertThat(pair.get(1).view().counters().packetsReceived()).isPositive();
    assertThat(events)
        .filteredOn(e -> e.type() == MembershipEvent.Type.MEMBER_JOINED)
        .extracting(e -> e.member().name())
        .containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void inputThatThrows_isCountedAndDropped_andTheNodeGoesOn() {
    List<NodeDriver> pair = pair();
    NodeDriver b = pair.get(1);

    network.at(B).failNextSend(new IllegalStateException("a bug in the transport"));
    loop.advanceUntil(() -> b.nodeErrors() == 1, 10_000);
    long probes = b.view().counters().probes();
    loop.advance(30_000);

    assertThat(b.nodeErrors()).isEqualTo(1);
    assertThat(b.view().counters().probes()).isGreaterThan(probes);
    assertThat(seesAlive(pair.get(0), "b") && seesAlive(b, "a")).isTrue();
  }

  @Test
  void view_memberListCopiedOnlyWhenMembershipChanges() {
    List<NodeDriver> pair = pair();
    loop.advance(5_000);
    List<Member> before = pair.get(0).view().members();
    long probes = pair.get(0).view().counters().probes();

    loop.advance(5_000);

    assertThat(pair.get(0).view().counters().probes()).isGreaterThan(probes); // republished
    assertThat(pair.get(0).view().members()).isSameAs(before);
  }

  @Test
  void stop_noMoreTicksOrInputs_theLastViewStaysReadable() {
    NodeDriver driver = started("a", A);

    driver.stop(new IllegalStateException("closing"));
    driver.onPacket(B, new byte[] {1, 2, 3});
    loop.advance(60_000);

    assertThat(loop.queued()).isZero();
    assertThat(loop.tasksRun()).isZero();
    assertThat(driver.view().self().name()).isEqualTo("a");
    assertThat(driver.nodeErrors()).isZero();
    assertThatThrownBy(() -> driver.call(MembershipNode::members))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("membership service is not running");
  }

  @Test
  void inputsBeforeStart_areDropped() {
    NodeDriver driver = driver();

    driver.onPacket(B, new byte[] {1, 2, 3});

    assertThat(driver.onStreamRequest(B, new byte[] {4})).isNull();
    assertThat(driver.view()).isNull();
    assertThat(driver.nodeErrors()).isZero();
  }

  @Test
  void peerOfAnotherCluster_isRefusedAndNamedInTheLogOncePerInterval() {
    Logger logger = (Logger) LoggerFactory.getLogger(NodeDriver.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      started("a", A);
      NodeDriver foreign = driver();
      foreign.start(node("b", B, "elsewhere", foreign), network.binder(B).bind(foreign));

      // A join retries with back-off: several refused exchanges within one log interval.
      foreign.call(node -> run(() -> node.join(List.of(A), foreign.now())));
      loop.advance(5_000);

      assertThat(lines.list)
          .filteredOn(line -> line.getFormattedMessage().startsWith("refused gossip from"))
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line.getFormattedMessage())
                      .contains(B.toString())
                      .contains("drivers")
                      .contains("testing"));
      assertThat(foreign.view().members()).extracting(Member::name).containsExactly("b");
    } finally {
      logger.detachAppender(lines);
    }
  }

  @Test
  void garbageInput_isDroppedByTheCore_notCountedAsANodeError() {
    NodeDriver driver = started("a", A);

    driver.onPacket(B, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    assertThat(driver.view().counters().droppedTotal()).isEqualTo(1);
    assertThat(driver.nodeErrors()).isZero();
  }

  private static boolean seesAlive(NodeDriver observer, String name) {
    return observer.view().members().stream()
        .anyMatch(m -> m.name().equals(name) && m.state() == MemberState.ALIVE);
  }

  private static Void run(Runnable action) {
    action.run();
    return null;
  }
}
