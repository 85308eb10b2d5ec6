package io.hivemind.core.membership;

import static io.hivemind.core.membership.MembershipEvent.Type.LOCAL_DECLARED_DEAD;
import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_FAILED;
import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_JOINED;
import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_LEFT;
import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_REAPED;
import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_RECOVERED;
import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_SUSPECTED;
import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_UPDATED;
import static io.hivemind.core.membership.MembershipEvent.Type.NAME_CONFLICT;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The incarnation and state rules (SWIM §4.2, Lifeguard §IV-B), driven through the node's API. */
class MemberUpdatesTest {

  private static final long SEED = 42;

  // ---- alive ----------------------------------------------------------------------------------

  @Test
  void alive_unknownMember_joins() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    FakePeer p1 = h.peer(1);

    h.deliver(p1, p1.alive(3));

    assertThat(h.out.eventTypes()).containsExactly(MEMBER_JOINED);
    Member member = h.out.events.get(0).member();
    assertThat(member.name()).isEqualTo("p1");
    assertThat(member.address()).isEqualTo(p1.address());
    assertThat(member.incarnation()).isEqualTo(3);
    assertThat(member.state()).isEqualTo(MemberState.ALIVE);
    assertThat(member.cluster()).isEqualTo(NodeHarness.CLUSTER);
    assertThat(member.environment()).isEqualTo(NodeHarness.ENVIRONMENT);
    assertThat(h.node.activeMembers()).isEqualTo(2);
  }

  @Test
  void alive_sameIncarnation_isIgnored() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    FakePeer p1 = h.peer(1);

    h.deliver(p1, p1.alive(1));

    assertThat(h.out.events).isEmpty();
  }

  @Test
  void alive_sameIncarnationOtherAddress_isIgnored() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    FakePeer moved = new FakePeer("p1", new Address("10.9.9.9", 7946));

    h.deliver(moved, moved.alive(1));

    assertThat(h.out.events).isEmpty();
    assertThat(h.node.member("p1").orElseThrow().address()).isEqualTo(h.peer(1).address());
  }

  @Test
  void alive_lowerIncarnation_isIgnored() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    FakePeer p1 = h.peer(1);
    h.deliver(p1, p1.alive(5));

    h.deliver(p1, p1.alive(4));

    assertThat(h.node.member("p1").orElseThrow().incarnation()).isEqualTo(5);
    assertThat(h.out.events).isEmpty();
  }

  @Test
  void alive_higherIncarnationSameMeta_isAcceptedWithoutEvent() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    FakePeer p1 = h.peer(1);

    h.deliver(p1, p1.alive(2));

    assertThat(h.node.member("p1").orElseThrow().incarnation()).isEqualTo(2);
    assertThat(h.out.events).isEmpty();
  }

  @Test
  void alive_liveMemberFromOtherAddress_refusedAsNameConflict() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    FakePeer other = new FakePeer("p1", new Address("10.9.9.9", 7000));

    h.deliver(other, other.alive(2));
    h.deliver(other, other.alive(3));

    assertThat(h.out.eventTypes()).containsExactly(NAME_CONFLICT, NAME_CONFLICT);
    MembershipEvent event = h.out.events.get(0);
    assertThat(event.member().address()).isEqualTo(h.peer(1).address());
    assertThat(event.conflictingAddress()).isEqualTo(other.address());
    Member kept = h.node.member("p1").orElseThrow();
    assertThat(kept.address()).isEqualTo(h.peer(1).address());
    assertThat(kept.incarnation()).isEqualTo(1);
    assertThat(h.node.stats().nameConflicts()).isEqualTo(2);
  }

  /** Only a live member keeps its address: once DEAD, its name may come back elsewhere. */
  @Test
  void alive_deadMemberFromOtherAddress_rejoinsThere() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));
    FakePeer moved = new FakePeer("p1", new Address("10.9.9.9", 7000));

    h.deliver(moved, moved.alive(2));

    assertThat(h.out.eventTypes()).containsExactly(MEMBER_FAILED, MEMBER_JOINED);
    assertThat(h.node.member("p1").orElseThrow().address()).isEqualTo(moved.address());
  }

  /**
   * An Alive about our own name from another address: once may be a previous life of this node
   * (refuted quietly); the same address twice is another agent with our name.
   */
  @Test
  void alive_aboutSelfFromOtherAddressTwice_nameConflictOnTheSecond() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    FakePeer twin = new FakePeer("n0", new Address("10.9.9.9", 7946));

    h.deliver(h.peer(1), twin.alive(0));
    assertThat(h.out.eventTypes()).doesNotContain(NAME_CONFLICT);
    h.deliver(h.peer(1), twin.alive(h.node.localMember().incarnation()));

    assertThat(h.out.eventTypes()).containsExactly(NAME_CONFLICT);
    assertThat(h.out.events.get(0).conflictingAddress()).isEqualTo(twin.address());
    assertThat(h.out.events.get(0).member().address()).isEqualTo(NodeHarness.SELF_ADDRESS);
    assertThat(h.node.localMember().address()).isEqualTo(NodeHarness.SELF_ADDRESS);
  }

  @Test
  void alive_higherIncarnationNewTags_emitsUpdated() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    FakePeer p1 = h.peer(1);

    h.deliver(p1, new GossipMessage.Alive(p1.member(2, List.of("db"), Map.of("rack", "r7"), "")));

    assertThat(h.out.eventTypes()).containsExactly(MEMBER_UPDATED);
    Member member = h.node.member("p1").orElseThrow();
    assertThat(member.tags()).containsEntry("rack", "r7");
    assertThat(member.roles()).containsExactly("db");
  }

  // ---- suspect --------------------------------------------------------------------------------

  @Test
  void suspect_aliveMemberAtCurrentIncarnation_becomesSuspect() {
    NodeHarness h = NodeHarness.started(SEED, 2);

    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));

    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_SUSPECTED);
    assertThat(h.node.stats().suspicions()).isEqualTo(1);
    assertThat(h.node.activeMembers()).isEqualTo(3);
  }

  @Test
  void suspect_higherIncarnation_suspectsAtThatIncarnation() {
    NodeHarness h = NodeHarness.started(SEED, 2);

    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 4, "p2"));

    Member member = h.node.member("p1").orElseThrow();
    assertThat(member.state()).isEqualTo(MemberState.SUSPECT);
    assertThat(member.incarnation()).isEqualTo(4);
  }

  @Test
  void suspect_lowerIncarnation_isIgnored() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(1), h.peer(1).alive(5));

    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 4, "p2"));

    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
    assertThat(h.out.events).isEmpty();
  }

  @Test
  void suspect_unknownMember_isIgnored() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    h.deliver(h.peer(1), new GossipMessage.Suspect("nobody", 1, "p1"));

    assertThat(h.node.member("nobody")).isEmpty();
    assertThat(h.out.events).isEmpty();
  }

  @Test
  void alive_sameIncarnationWhileSuspect_doesNotClearSuspicion() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));

    h.deliver(h.peer(1), h.peer(1).alive(1));

    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_SUSPECTED);
  }

  @Test
  void alive_higherIncarnationWhileSuspect_recoversAndCancelsTimeout() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.allResponsive();
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));

    h.deliver(h.peer(1), h.peer(1).alive(2));
    h.runUntil(60_000);

    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_SUSPECTED, MEMBER_RECOVERED);
  }

  // ---- suspicion timeout ----------------------------------------------------------------------

  /**
   * Five active members (N=5): min = 2 × log10(10) × 1 s = 2 s, max = 6 × min = 12 s, and k = 2
   * confirmations are expected (N − 2 = 3 ≥ 2).
   */
  private static NodeHarness fiveMembers() {
    NodeHarness h = NodeHarness.started(SEED, 4);
    h.allResponsive();
    h.runUntil(100);
    return h;
  }

  @Test
  void suspicion_noConfirmations_deadAtMaxTimeout() {
    NodeHarness h = fiveMembers();
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));
    long start = h.now;

    h.runUntil(start + 11_999);
    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
    assertThat(h.node.nextDeadlineMillis()).isEqualTo(start + 12_000);

    h.runUntil(start + 12_000);
    assertThat(h.state("p1")).isEqualTo(MemberState.DEAD);
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_SUSPECTED, MEMBER_FAILED);
  }

  @Test
  void suspicion_oneConfirmationAndDuplicates_deadAtOneConfirmationTimeout() {
    NodeHarness h = fiveMembers();
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));
    long start = h.now;

    h.deliver(h.peer(3), new GossipMessage.Suspect("p1", 1, "p3"));
    h.deliver(h.peer(3), new GossipMessage.Suspect("p1", 1, "p3"));
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));

    h.runUntil(start + 5_689);
    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
    assertThat(h.node.nextDeadlineMillis()).isEqualTo(start + 5_690);
    h.runUntil(start + 5_690);
    assertThat(h.state("p1")).isEqualTo(MemberState.DEAD);
  }

  @Test
  void suspicion_kConfirmationsFromDistinctMembers_deadAtMinTimeout() {
    NodeHarness h = fiveMembers();
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));
    long start = h.now;

    h.deliver(h.peer(3), new GossipMessage.Suspect("p1", 1, "p3"));
    h.deliver(h.peer(4), new GossipMessage.Suspect("p1", 1, "p4"));

    h.runUntil(start + 1_999);
    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
    assertThat(h.node.nextDeadlineMillis()).isEqualTo(start + 2_000);
    h.runUntil(start + 2_000);
    assertThat(h.state("p1")).isEqualTo(MemberState.DEAD);
    assertThat(h.out.eventTypes()).containsOnlyOnce(MEMBER_FAILED);
  }

  @Test
  void suspicion_confirmationAfterMinimumPassed_expiresAtOnce() {
    NodeHarness h = fiveMembers();
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));
    long start = h.now;
    h.runUntil(start + 3_000);
    h.deliver(h.peer(3), new GossipMessage.Suspect("p1", 1, "p3"));
    h.runUntil(start + 6_000);
    assertThat(h.state("p1")).isEqualTo(MemberState.DEAD);
  }

  @Test
  void suspicion_confirmationMovesDeadlineRelativeToStart() {
    NodeHarness h = fiveMembers();
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));
    long start = h.now;
    h.runUntil(start + 3_000);

    h.deliver(h.peer(3), new GossipMessage.Suspect("p1", 1, "p3"));

    h.runUntil(start + 5_689);
    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
    h.runUntil(start + 5_690);
    assertThat(h.state("p1")).isEqualTo(MemberState.DEAD);
  }

  @Test
  void suspicion_tooFewMembersToConfirm_deadAtMinTimeout() {
    // N=3: N − 2 = 1 < 2 expected confirmations, so k = 0 and the minimum (2 s) applies at once.
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.allResponsive();
    h.runUntil(100);
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));
    long start = h.now;

    h.runUntil(start + 1_999);
    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
    assertThat(h.node.nextDeadlineMillis()).isEqualTo(start + 2_000);
    h.runUntil(start + 2_000);
    assertThat(h.state("p1")).isEqualTo(MemberState.DEAD);
  }

  @Test
  void suspicion_expiry_gossipsDeadFromSelf() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.allResponsive();
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));

    h.runUntil(10_000, () -> h.node.member("p1").orElseThrow().state() == MemberState.DEAD);
    h.runUntil(h.now + 1_000);

    assertThat(h.out.messages(GossipMessage.Dead.class, dead -> dead.name().equals("p1")))
        .isNotEmpty()
        .allSatisfy(dead -> assertThat(dead.from()).isEqualTo("n0"));
  }

  // ---- dead and left --------------------------------------------------------------------------

  @Test
  void dead_aliveMember_fails() {
    NodeHarness h = NodeHarness.started(SEED, 2);

    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));

    assertThat(h.state("p1")).isEqualTo(MemberState.DEAD);
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_FAILED);
    assertThat(h.node.activeMembers()).isEqualTo(2);
  }

  @Test
  void dead_suspectMember_failsOnceAndCancelsSuspicion() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.allResponsive();
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));

    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));
    // Short of gossipToTheDeadTime (30 s), after which a member that never answered us is reaped.
    h.runUntil(29_000);

    assertThat(h.out.eventTypes()).containsExactly(MEMBER_SUSPECTED, MEMBER_FAILED);
  }

  @Test
  void dead_lowerIncarnation_isIgnored() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(1), h.peer(1).alive(3));

    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 2, "p2"));

    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
  }

  @Test
  void dead_deadMember_isIgnored() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));

    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 2, "p2"));

    assertThat(h.out.eventTypes()).containsExactly(MEMBER_FAILED);
  }

  @Test
  void dead_leftMemberSameIncarnation_staysLeft() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(1), new GossipMessage.Left("p1", 1));

    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));

    assertThat(h.state("p1")).isEqualTo(MemberState.LEFT);
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_LEFT);
  }

  @Test
  void left_aliveMember_leaves() {
    NodeHarness h = NodeHarness.started(SEED, 2);

    h.deliver(h.peer(1), new GossipMessage.Left("p1", 1));

    assertThat(h.state("p1")).isEqualTo(MemberState.LEFT);
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_LEFT);
    assertThat(h.node.activeMembers()).isEqualTo(2);
  }

  @Test
  void left_deadMemberSameIncarnation_replacesDead() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));

    h.deliver(h.peer(2), new GossipMessage.Left("p1", 1));

    assertThat(h.state("p1")).isEqualTo(MemberState.LEFT);
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_FAILED, MEMBER_LEFT);
  }

  @Test
  void suspect_deadMember_isIgnored() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));

    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 2, "p2"));

    assertThat(h.state("p1")).isEqualTo(MemberState.DEAD);
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_FAILED);
  }

  @Test
  void alive_sameIncarnationOnDead_staysDead() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));

    h.deliver(h.peer(2), h.peer(1).alive(1));

    assertThat(h.state("p1")).isEqualTo(MemberState.DEAD);
  }

  @Test
  void alive_higherIncarnationOnDead_rejoins() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));

    h.deliver(h.peer(1), h.peer(1).alive(2));

    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_FAILED, MEMBER_JOINED);
    assertThat(h.node.activeMembers()).isEqualTo(3);
  }

  @Test
  void alive_sameIncarnationOnLeft_staysLeft() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(1), new GossipMessage.Left("p1", 1));

    h.deliver(h.peer(1), h.peer(1).alive(1));

    assertThat(h.state("p1")).isEqualTo(MemberState.LEFT);
  }

  @Test
  void alive_higherIncarnationOnLeft_rejoins() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(1), new GossipMessage.Left("p1", 1));

    h.deliver(h.peer(1), h.peer(1).alive(2));

    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_LEFT, MEMBER_JOINED);
  }

  // ---- refutation -----------------------------------------------------------------------------

  @Test
  void suspect_aboutSelf_refutesAndGossipsAlive() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    h.deliver(h.peer(1), new GossipMessage.Suspect("n0", 0, "p1"));

    assertThat(h.node.localMember().incarnation()).isEqualTo(1);
    assertThat(h.node.localMember().state()).isEqualTo(MemberState.ALIVE);
    assertThat(h.node.stats().refutations()).isEqualTo(1);
    assertThat(h.node.localHealthScore()).isEqualTo(1);
    h.runUntil(2_000, () -> !aliveAboutSelfAt(h, 1).isEmpty());
  }

  /** The Alive messages about n0 at {@code incarnation} the node has sent. */
  private static List<GossipMessage.Alive> aliveAboutSelfAt(NodeHarness h, long incarnation) {
    return h.out.messages(
        GossipMessage.Alive.class,
        alive ->
            alive.member().name().equals("n0")
                && alive.member().incarnation() == incarnation
                && alive.member().state() == MemberState.ALIVE);
  }

  @Test
  void suspect_aboutSelfHigherIncarnation_refutesAboveAccused() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    h.deliver(h.peer(1), new GossipMessage.Suspect("n0", 5, "p1"));

    assertThat(h.node.localMember().incarnation()).isEqualTo(6);
  }

  @Test
  void suspect_aboutSelfOlderIncarnation_isIgnored() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    h.deliver(h.peer(1), new GossipMessage.Suspect("n0", 0, "p1"));

    h.deliver(h.peer(1), new GossipMessage.Suspect("n0", 0, "p1"));

    assertThat(h.node.localMember().incarnation()).isEqualTo(1);
    assertThat(h.node.stats().refutations()).isEqualTo(1);
  }

  @Test
  void dead_aboutSelf_refutesAndEmitsDeclaredDead() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    h.deliver(h.peer(1), new GossipMessage.Dead("n0", 0, "p1"));

    assertThat(h.out.eventTypes()).containsExactly(LOCAL_DECLARED_DEAD);
    assertThat(h.out.events.get(0).member().incarnation()).isEqualTo(1);
    assertThat(h.node.localMember().state()).isEqualTo(MemberState.ALIVE);
    assertThat(h.node.stats().refutations()).isEqualTo(1);
  }

  @Test
  void left_aboutSelfWhileRunning_refutesAndEmitsDeclaredDead() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    h.deliver(h.peer(1), new GossipMessage.Left("n0", 0));

    assertThat(h.out.eventTypes()).containsExactly(LOCAL_DECLARED_DEAD);
    assertThat(h.node.localMember().incarnation()).isEqualTo(1);
    assertThat(h.node.localMember().state()).isEqualTo(MemberState.ALIVE);
  }

  @Test
  void alive_aboutSelfHigherIncarnation_refutesAboveIt() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    h.deliver(h.peer(1), aliveAboutSelf(3));

    assertThat(h.node.localMember().incarnation()).isEqualTo(4);
    assertThat(h.node.stats().refutations()).isEqualTo(1);
  }

  @Test
  void alive_aboutSelfAsWeAre_isIgnored() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    h.deliver(h.peer(1), aliveAboutSelf(0));

    assertThat(h.node.localMember().incarnation()).isZero();
    assertThat(h.node.stats().refutations()).isZero();
  }

  /**
   * Restarted with another address or metadata: the cluster still holds our previous life at the
   * same incarnation (every start begins at 0). Only a refutation makes our record win (memberlist
   * aliveNode: "we always need to do an equality check for this Incarnation").
   */
  @Test
  void alive_aboutSelfSameIncarnationOtherAddress_refutes() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    FakePeer previousLife = new FakePeer("n0", new Address("10.9.9.9", 7946));

    h.deliver(h.peer(1), previousLife.alive(0));

    assertThat(h.node.localMember().incarnation()).isEqualTo(1);
    assertThat(h.node.localMember().address()).isEqualTo(NodeHarness.SELF_ADDRESS);
    assertThat(h.node.stats().refutations()).isEqualTo(1);
  }

  @Test
  void alive_aboutSelfSameIncarnationOtherTags_refutes() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    FakePeer previousLife = new FakePeer("n0", NodeHarness.SELF_ADDRESS);

    h.deliver(
        h.peer(1),
        new GossipMessage.Alive(previousLife.member(0, List.of(), Map.of("role", "old"), "")));

    assertThat(h.node.localMember().incarnation()).isEqualTo(1);
    assertThat(h.node.localMember().tags()).isEmpty();
  }

  /**
   * Another process holds our record with the roles and tags in its own order (Set.copyOf and
   * Map.copyOf iterate in an order salted per JVM). Same values, same incarnation: ours, no
   * refutation. Comparing encodings made three agents refute each other about five times a second.
   * The order is forged on the wire: our encoder would sort it.
   */
  @Test
  void alive_aboutSelfSameValuesInAnotherOrder_isIgnored() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    h.node.updateMeta(Set.of("catalog", "dns", "host"), Map.of("a", "1", "b", "2"), "z1", h.now);
    long incarnation = h.node.localMember().incarnation();
    Map<String, String> tagsInAnotherOrder = new LinkedHashMap<>();
    tagsInAnotherOrder.put("b", "2");
    tagsInAnotherOrder.put("a", "1");

    h.deliver(
        h.peer(1),
        WireForgery.aliveListing(
            new FakePeer("n0", NodeHarness.SELF_ADDRESS).member(incarnation),
            List.of("host", "dns", "catalog"),
            tagsInAnotherOrder,
            "z1"));

    assertThat(h.node.localMember().incarnation()).isEqualTo(incarnation);
    assertThat(h.node.stats().refutations()).isZero();
  }

  @Test
  void suspectOrDead_aboutSelfWhileLeaving_isNotRefuted() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    h.node.leave(h.now);

    h.deliver(h.peer(1), new GossipMessage.Suspect("n0", 0, "p1"));
    h.deliver(h.peer(1), new GossipMessage.Dead("n0", 0, "p1"));
    h.deliver(h.peer(1), aliveAboutSelf(3));

    assertThat(h.node.stats().refutations()).isZero();
    assertThat(h.node.localMember().incarnation()).isZero();
    assertThat(h.out.eventTypes()).doesNotContain(LOCAL_DECLARED_DEAD);
  }

  // ---- incarnation bounds ---------------------------------------------------------------------

  /**
   * Regression: one Suspect at 2^63−1 about a live node made every member mark it DEAD at an
   * incarnation it could never outrank. Such a claim no longer decodes.
   */
  @Test
  void suspect_atMaximumLong_droppedInvalidAndNeverRefuted() {
    NodeHarness h = NodeHarness.started(SEED, 2);

    h.deliver(h.peer(1), new GossipMessage.Suspect("n0", Long.MAX_VALUE, "p1"));
    h.deliver(h.peer(1), new GossipMessage.Suspect("p2", Long.MAX_VALUE, "p1"));
    h.deliver(h.peer(1), new GossipMessage.Dead("p2", Long.MAX_VALUE, "p1"));
    h.runUntil(5_000);

    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(3);
    assertThat(h.node.localMember().incarnation()).isZero();
    assertThat(h.node.stats().refutations()).isZero();
    assertThat(h.node.member("p2").orElseThrow().incarnation()).isEqualTo(1);
  }

  /** uint64 on the wire: 2^63 and above arrive as negative longs, and are refused as invalid. */
  @Test
  void suspect_incarnationAbove2To63_arrivesNegativeAndIsDropped() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    h.deliver(h.peer(1), new GossipMessage.Suspect("p1", -1, "p1"));
    h.deliver(h.peer(1), new GossipMessage.Alive(h.peer(1).member(Long.MIN_VALUE)));

    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(2);
    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
    assertThat(h.node.member("p1").orElseThrow().incarnation()).isEqualTo(1);
  }

  @Test
  void alive_unknownMemberAboveMaximumIncarnation_isDropped() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.deliver(h.peer(1), h.peer(1).alive(MemberUpdates.MAX_INCARNATION + 1));

    assertThat(h.node.member("p1")).isEmpty();
    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(1);
  }

  @Test
  void alive_unknownMemberAtMaximumIncarnation_joins() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.deliver(h.peer(1), h.peer(1).alive(MemberUpdates.MAX_INCARNATION));

    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
  }

  @Test
  void suspectOrDead_knownMemberBeyondJump_droppedAndCounted() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    long beyond = 1 + MemberUpdates.MAX_INCARNATION_JUMP + 1;

    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", beyond, "p2"));
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", beyond, "p2"));
    h.deliver(h.peer(2), new GossipMessage.Left("p1", beyond));
    h.deliver(h.peer(2), h.peer(1).alive(beyond));

    assertThat(h.node.stats().dropped(DropReason.INCARNATION_JUMP)).isEqualTo(4);
    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
    assertThat(h.node.member("p1").orElseThrow().incarnation()).isEqualTo(1);
    assertThat(h.out.eventTypes()).doesNotContain(MEMBER_SUSPECTED, MEMBER_FAILED, MEMBER_LEFT);
  }

  @Test
  void suspect_knownMemberAtJump_isAccepted() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    long atJump = 1 + MemberUpdates.MAX_INCARNATION_JUMP;

    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", atJump, "p2"));

    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
    assertThat(h.node.member("p1").orElseThrow().incarnation()).isEqualTo(atJump);
    assertThat(h.node.stats().dropped(DropReason.INCARNATION_JUMP)).isZero();
  }

  /**
   * About ourselves the bound is one tighter: our refutation at claim + 1 must itself be within the
   * jump of what members that never saw the claim hold.
   */
  @Test
  void suspect_aboutSelfBeyondJump_ignoredAndCounted() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    h.deliver(h.peer(1), new GossipMessage.Suspect("n0", MemberUpdates.MAX_INCARNATION_JUMP, "p1"));
    h.deliver(h.peer(1), new GossipMessage.Dead("n0", 1L << 20, "p1"));
    h.deliver(h.peer(1), aliveAboutSelf(1L << 20));

    assertThat(h.node.stats().dropped(DropReason.INCARNATION_JUMP)).isEqualTo(3);
    assertThat(h.node.localMember().incarnation()).isZero();
    assertThat(h.node.stats().refutations()).isZero();
    assertThat(h.out.eventTypes()).doesNotContain(LOCAL_DECLARED_DEAD);
  }

  @Test
  void suspect_aboutSelfJustWithinJump_refutesWithinJump() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    long claim = MemberUpdates.MAX_INCARNATION_JUMP - 1;

    h.deliver(h.peer(1), new GossipMessage.Suspect("n0", claim, "p1"));

    assertThat(h.node.localMember().incarnation()).isEqualTo(MemberUpdates.MAX_INCARNATION_JUMP);
    h.runUntil(2_000, () -> !aliveAboutSelfAt(h, MemberUpdates.MAX_INCARNATION_JUMP).isEmpty());
  }

  /** Claims walk up by at most the jump each; no chain of them reaches past the wire's maximum. */
  @Test
  void refute_neverLeavesTheRangeGossipCarries() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    for (int i = 0; i < 100; i++) {
      long claim = h.node.localMember().incarnation() + MemberUpdates.MAX_INCARNATION_JUMP - 1;
      h.deliver(h.peer(1), new GossipMessage.Suspect("n0", claim, "p1"));
    }

    assertThat(h.node.localMember().incarnation())
        .isEqualTo(100 * MemberUpdates.MAX_INCARNATION_JUMP)
        .isLessThan(MemberUpdates.MAX_INCARNATION);
  }

  // ---- table bound and ghosts ------------------------------------------------------------------

  @Test
  void alive_tableFull_newMemberRefusedAndCounted() {
    MembershipConfig config = MembershipConfig.lan().toBuilder().maxMembers(3).build();
    NodeHarness h = NodeHarness.started(config, SEED, 2);

    h.join(3);
    h.deliver(h.peer(1), h.peer(1).alive(2));

    assertThat(h.node.member("p3")).isEmpty();
    assertThat(h.node.stats().membersRefused()).isEqualTo(1);
    assertThat(h.node.member("p1").orElseThrow().incarnation()).isEqualTo(2);
  }

  /**
   * A member only gossip told us about (never answered a probe, never sent us a packet) may be made
   * up: once DEAD, while the table is at least half full, it is forgotten after
   * gossipToTheDeadTime, not the 24 h reap timeout.
   */
  @Test
  void dead_neverConfirmedMemberTableHalfFull_reapedAfterGossipToTheDeadTime() {
    MembershipConfig config = MembershipConfig.lan().toBuilder().maxMembers(8).build();
    NodeHarness h = NodeHarness.started(config, SEED, 2);
    h.join(4);
    h.deliver(h.peer(2), h.peer(3).alive(1));
    h.deliver(h.peer(2), new GossipMessage.Dead("p3", 1, "p2"));

    h.runUntil(MembershipConfig.DEFAULT_GOSSIP_TO_THE_DEAD_TIME.toMillis() + 1);

    assertThat(h.node.member("p3")).isEmpty();
    assertThat(h.out.eventTypes()).containsSubsequence(MEMBER_FAILED, MEMBER_REAPED);
  }

  @Test
  void dead_neverConfirmedMemberTableNotPressed_keptForTheReapTimeout() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(2), h.peer(3).alive(1));
    h.deliver(h.peer(2), new GossipMessage.Dead("p3", 1, "p2"));

    h.runUntil(h.now + 60_000);

    assertThat(h.state("p3")).isEqualTo(MemberState.DEAD);
  }

  /** A member that sent us a packet from its own address exists: its death is kept for 24 h. */
  @Test
  void dead_memberHeardFromDirectly_keptForTheReapTimeout() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));

    h.runUntil(h.now + 60_000);

    assertThat(h.state("p1")).isEqualTo(MemberState.DEAD);
  }

  @Test
  void dead_confirmedMember_keptForTheReapTimeout() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.allResponsive();
    h.runUntil(10_000, () -> h.node.stats().probes() >= 4);
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));

    h.runUntil(h.now + 60_000);

    assertThat(h.state("p1")).isEqualTo(MemberState.DEAD);
  }

  private static GossipMessage.Alive aliveAboutSelf(long incarnation) {
    return new FakePeer("n0", NodeHarness.SELF_ADDRESS).alive(incarnation);
  }
}
