package io.hivemind.core.control;

import io.hivemind.core.partition.PartitionMember;
import java.util.List;

/**
 * Admitted members as the partition table sees them: the one mapping the leader plans with and the
 * state machine checks a proposed table against.
 *
 * <p>Stateless.
 */
public final class PartitionMembers {

  private PartitionMembers() {}

  /** The admitted members' partition members, in any order (a table sorts them). */
  public static List<PartitionMember> of(List<ControlMember> members) {
    return members.stream().map(PartitionMembers::of).toList();
  }

  /** One admitted member's partition member. */
  public static PartitionMember of(ControlMember member) {
    return new PartitionMember(member.id(), host(member), member.zone());
  }

  /**
   * The failure domain a member's replicas keep apart by: its host, or, when it declared none, its
   * own id, so a member of unknown host shares a domain with no one rather than with every other
   * such member (which would leave a cluster of them under-replicated).
   */
  public static String host(ControlMember member) {
    return member.host().isBlank() ? "id:" + member.id() : member.host();
  }
}
