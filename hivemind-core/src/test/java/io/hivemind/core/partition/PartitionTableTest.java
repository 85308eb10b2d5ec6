package io.hivemind.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionTableTest {

  private final List<PartitionMember> members = Members.onHosts(3);

  /**
   * A decoded table brings a fresh string for every id of every partition: the table keeps its
   * members' own strings and one list per distinct replica set instead.
   */
  @Test
  void construct_sharesEqualReplicaListsAndItsMembersIdStrings() {
    List<List<String>> decoded =
        List.of(
            List.of(new String("m000"), new String("m001")),
            List.of(new String("m000"), new String("m001")),
            List.of(new String("m001"), new String("m002")));

    PartitionTable table = new PartitionTable(1, 3, 1, members, decoded);

    assertThat(table.replicas().get(0)).isSameAs(table.replicas().get(1));
    assertThat(table.replicas().get(2)).isNotSameAs(table.replicas().get(0));
    assertThat(table.replicas().get(0).get(0)).isSameAs(members.get(0).id());
    assertThat(table.replicas().get(2).get(1)).isSameAs(members.get(2).id());
    assertThat(table.replicas()).isEqualTo(decoded);
  }

  @Test
  void construct_replicaNotAMember_refused() {
    assertThatThrownBy(() -> new PartitionTable(1, 1, 1, members, List.of(List.of("x"))))
        .hasMessageContaining("not a member");
  }

  @Test
  void construct_replicaTwiceInOnePartition_refused() {
    assertThatThrownBy(
            () -> new PartitionTable(1, 1, 2, members, List.of(List.of("m000", "m001", "m000"))))
        .hasMessageContaining("replica m000")
        .hasMessageContaining("appears twice");
  }

  @Test
  void construct_tooManyReplicas_refused() {
    assertThatThrownBy(() -> new PartitionTable(1, 1, 0, members, List.of(List.of("m000", "m001"))))
        .hasMessageContaining("more than 1");
  }

  @Test
  void construct_unsortedMembers_refused() {
    List<PartitionMember> reversed = List.of(members.get(1), members.get(0));

    assertThatThrownBy(() -> new PartitionTable(1, 1, 0, reversed, List.of(List.of())))
        .hasMessageContaining("sorted");
  }

  @Test
  void withoutMembers_dropsTheirReplicasAndPromotesTheNextBackup() {
    PartitionTable table =
        new PartitionTable(
            4, 2, 2, members, List.of(List.of("m000", "m001", "m002"), List.of("m001", "m000")));

    PartitionTable left = table.withoutMembers(List.of("m000"));

    assertThat(left.replicas()).containsExactly(List.of("m001", "m002"), List.of("m001"));
    assertThat(left.owner(0)).contains("m001");
    assertThat(left.version()).isEqualTo(4);
    assertThat(left.members()).extracting(PartitionMember::id).containsExactly("m001", "m002");
  }
}
