package io.hivemind.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MembershipStatsTest {

  @Test
  void copy_holdsTheCountsAndStaysPutWhenTheOriginalMoves() {
    MembershipStats stats = new MembershipStats();
    stats.packetsSent = 7;
    stats.probes = 3;
    stats.refutations = 1;
    stats.countDrop(DropReason.WRONG_CLUSTER);

    MembershipStats copy = stats.copy();
    stats.packetsSent++;
    stats.countDrop(DropReason.WRONG_CLUSTER);

    assertThat(copy.packetsSent()).isEqualTo(7);
    assertThat(copy.probes()).isEqualTo(3);
    assertThat(copy.refutations()).isEqualTo(1);
    assertThat(copy.dropped(DropReason.WRONG_CLUSTER)).isEqualTo(1);
    assertThat(copy.droppedTotal()).isEqualTo(1);
    assertThat(stats.dropped(DropReason.WRONG_CLUSTER)).isEqualTo(2);
  }
}
