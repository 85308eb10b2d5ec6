package io.hivemind.core.membership;

import static io.hivemind.core.membership.MembershipEvent.Type.LOCAL_DECLARED_DEAD;
import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_FAILED;
import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_LEFT;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import org.junit.jupiter.api.Test;

/** {@link MembershipNode#applyCommittedRemoval}: the control plane's decision, applied locally. */
class CommittedRemovalTest {

  private static final long SEED = 5;

  @Test
  void removal_marksDeadAndGossipsIt() {
    NodeHarness h = NodeHarness.started(SEED, 3);

    boolean changed = h.node.applyCommittedRemoval("p1", 1, false, h.now);
    h.runUntil(h.now + 1_000);

    assertThat(changed).isTrue();
    assertThat(h.state("p1")).isEqualTo(MemberState.DEAD);
    assertThat(h.out.eventTypes()).contains(MEMBER_FAILED);
    assertThat(h.out.messages(GossipMessage.Dead.class, d -> d.name().equals("p1"))).isNotEmpty();
  }

  @Test
  void removalAsLeft_marksLeft() {
    NodeHarness h = NodeHarness.started(SEED, 3);

    assertThat(h.node.applyCommittedRemoval("p2", 1, true, h.now)).isTrue();

    assertThat(h.state("p2")).isEqualTo(MemberState.LEFT);
    assertThat(h.out.eventTypes()).contains(MEMBER_LEFT);
  }

  @Test
  void removal_belowAKnownIncarnation_isIgnored() {
    NodeHarness h = NodeHarness.started(SEED, 3);
    h.deliver(h.peer(1), h.peer(1).alive(3));

    assertThat(h.node.applyCommittedRemoval("p1", 2, false, h.now)).isFalse();

    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
  }

  @Test
  void removal_ofAnUnknownOrAlreadyDeadMember_changesNothing() {
    NodeHarness h = NodeHarness.started(SEED, 3);
    h.node.applyCommittedRemoval("p1", 1, false, h.now);

    assertThat(h.node.applyCommittedRemoval("p1", 1, false, h.now)).isFalse();
    assertThat(h.node.applyCommittedRemoval("nobody", 1, false, h.now)).isFalse();
  }

  @Test
  void removal_ofTheLocalNode_refutesAndAsksToRejoin() {
    NodeHarness h = NodeHarness.started(SEED, 3);
    long before = h.node.localMember().incarnation();

    assertThat(h.node.applyCommittedRemoval("n0", before, false, h.now)).isTrue();

    assertThat(h.out.eventTypes()).containsExactly(LOCAL_DECLARED_DEAD);
    assertThat(h.node.localMember().incarnation()).isGreaterThan(before);
  }

  @Test
  void removal_beforeStart_changesNothing() {
    NodeHarness h = new NodeHarness(SEED);

    assertThat(h.node.applyCommittedRemoval("p1", 1, false, 0)).isFalse();
  }
}
