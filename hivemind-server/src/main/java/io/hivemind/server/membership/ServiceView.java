package io.hivemind.server.membership;

import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipStats;
import java.util.List;

/**
 * What readers on other threads see of the node: published whole by the node's event loop after
 * each call into the node, read through one volatile field with no locks.
 *
 * @param members every member the node knows, itself included (an immutable list)
 * @param self the local member
 */
record ServiceView(
    List<Member> members,
    Member self,
    MembershipStats counters,
    int localHealthScore,
    boolean joined,
    boolean left) {

  ServiceView {
    members = List.copyOf(members);
  }
}
