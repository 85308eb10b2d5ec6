package io.hivemind.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartitionAssignerTest {

  @Test
  void initial_sameMembersInAnyOrder_sameTable() {
    List<PartitionMember> members = Members.inZones(12, 3);
    List<PartitionMember> shuffled = new ArrayList<>(members);
    Collections.shuffle(shuffled, new Random(7));

    PartitionTable a = PartitionAssigner.initial(members, 271, 2).table();
    PartitionTable b = PartitionAssigner.initial(shuffled, 271, 2).table();

    assertThat(b).isEqualTo(a);
    assertThat(a.version()).isEqualTo(1);
  }

  @Test
  void initial_271PartitionsAt30To100Members_balancedToTheGranularityFloor() {
    for (int n = 30; n <= 100; n += 7) {
      TableBalance balance =
          TableBalance.of(PartitionAssigner.initial(Members.onHosts(n), 271, 1).table());

      assertThat(balance.ownersMaxOverMean()).as("n=%d", n).isCloseTo(balance.ownersFloor(), eps());
      assertThat(balance.replicasMaxOverMean())
          .as("n=%d", n)
          .isCloseTo(balance.replicasFloor(), eps());
    }
  }

  @Test
  void initial_8192PartitionsAt1000Members_beatsHazelcastsBalance() {
    TableBalance balance =
        TableBalance.of(PartitionAssigner.initial(Members.onHosts(1000), 8192, 1).table());

    assertThat(balance.ownersMaxOverMean()).isLessThan(1.107);
    assertThat(balance.replicasMaxOverMean()).isLessThanOrEqualTo(1.05);
  }

  @Test
  void initial_twoMembersPerHost_neverTwoReplicasOnOneHost() {
    List<PartitionMember> members = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      members.add(Members.member(i, 2, 0));
    }

    PartitionTable table = PartitionAssigner.initial(members, 64, 3).table();

    assertThat(Members.colocations(table)).isEmpty();
    assertThat(table.replicas()).allSatisfy(list -> assertThat(list).hasSize(4));
  }

  @Test
  void initial_fewerZonesThanReplicas_underReplicatesAndSaysSo() {
    PartitionTable table = PartitionAssigner.initial(Members.inZones(6, 2), 32, 2).table();

    assertThat(Members.colocations(table)).isEmpty();
    assertThat(table.replicas()).allSatisfy(list -> assertThat(list).hasSize(2));
    assertThat(TableBalance.of(table).underReplicated()).isEqualTo(32);
  }

  @Test
  void initial_oneMemberWithoutAZone_isHostAwareOnly() {
    List<PartitionMember> members = new ArrayList<>(Members.inZones(3, 3));
    members.add(PartitionMember.onHost("m999", "h999"));

    PartitionTable table = PartitionAssigner.initial(members, 16, 3).table();

    assertThat(table.failureDomains().zoneAware()).isFalse();
    assertThat(table.replicas()).allSatisfy(list -> assertThat(list).hasSize(4));
  }

  @Test
  void next_ownerCrashes_firstSurvivingBackupOwnsAndOnlyLostReplicasAreCopied() {
    List<PartitionMember> members = Members.onHosts(10);
    PartitionTable before = PartitionAssigner.initial(members, 271, 2).table();
    String crashed = members.get(3).id();
    List<PartitionMember> after = new ArrayList<>(members);
    after.remove(3);

    Rebalance next = PartitionAssigner.next(before, after);

    int held = 0;
    for (int p = 0; p < 271; p++) {
      List<String> old = before.replicas().get(p);
      held += old.contains(crashed) ? 1 : 0;
      if (old.get(0).equals(crashed)) {
        assertThat(next.table().owner(p)).contains(old.get(1));
      }
    }
    assertThat(next.promotions()).isPositive();
    assertThat(next.copies()).isEqualTo(held).isEqualTo(next.minimumCopies());
    assertThat(next.table().version()).isEqualTo(before.version() + 1);
  }

  @Test
  void next_oneOfTenCrashes_copiesWithinFivePercentOfTheMinimum() {
    // Hazelcast issued about 3.5 times the minimum migrations for this (issue 13).
    List<PartitionMember> members = Members.onHosts(10);
    PartitionTable before = PartitionAssigner.initial(members, 8192, 1).table();

    Rebalance next = PartitionAssigner.next(before, members.subList(1, 10));

    assertThat(next.copiesOverMinimum()).isLessThanOrEqualTo(1.05);
    assertThat(TableBalance.of(next.table()).replicasMaxOverMean()).isLessThanOrEqualTo(1.01);
  }

  @Test
  void next_oneJoins_copiesTheNewMembersShareOnly() {
    List<PartitionMember> members = Members.onHosts(11);
    PartitionTable before = PartitionAssigner.initial(members.subList(0, 10), 1024, 1).table();

    Rebalance next = PartitionAssigner.next(before, members);

    // 2048 replicas over 11 members: the newcomer's floor share is 186.
    assertThat(next.minimumCopies()).isEqualTo(186);
    assertThat(next.copies()).isBetween(186, 187);
    assertThat(next.promotions()).isZero();
  }

  @Test
  void next_sameMembers_movesNothing() {
    List<PartitionMember> members = Members.inZones(9, 3);
    PartitionTable before = PartitionAssigner.initial(members, 271, 2).table();

    Rebalance next = PartitionAssigner.next(before, members);

    assertThat(next.copies()).isZero();
    assertThat(next.roleChanges()).isZero();
    assertThat(next.table().replicas()).isEqualTo(before.replicas());
  }

  @Test
  void next_moreCrashesThanBackups_countsLostPartitionsAndStillOwnsEveryOne() {
    List<PartitionMember> members = Members.onHosts(4);
    PartitionTable before = PartitionAssigner.initial(members, 64, 1).table();

    Rebalance next = PartitionAssigner.next(before, members.subList(2, 4));

    assertThat(next.lostPartitions()).isPositive();
    assertThat(TableBalance.of(next.table()).withoutOwner()).isZero();
  }

  @Test
  void badMembers_clearErrors() {
    assertThatThrownBy(() -> PartitionAssigner.initial(List.of(), 16, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one member");
    PartitionMember a = PartitionMember.onHost("a", "h1");
    PartitionMember a2 = PartitionMember.onHost("a", "h2");
    assertThatThrownBy(() -> PartitionAssigner.initial(List.of(a, a2), 16, 1))
        .hasMessageContaining("share the id a");
    assertThatThrownBy(() -> PartitionAssigner.initial(List.of(a), 0, 1))
        .hasMessageContaining("partition count");
    assertThatThrownBy(() -> PartitionAssigner.initial(List.of(a), 16, 7))
        .hasMessageContaining("backup count");
    assertThatThrownBy(() -> new PartitionMember(" ", "h", "")).hasMessageContaining("id must be");
  }

  private static org.assertj.core.data.Offset<Double> eps() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
