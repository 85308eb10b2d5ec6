package io.hivemind.core.membership;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of one member as one node sees it.
 *
 * @param incarnation the member's own counter; only the member itself raises it, to refute a
 *     suspicion (SWIM §4.2)
 */
public record Member(
    String name,
    Address address,
    long incarnation,
    MemberState state,
    Set<String> roles,
    Map<String, String> tags,
    String zone,
    Environment environment,
    String cluster) {

  public Member {
    roles = Set.copyOf(roles);
    tags = Map.copyOf(tags);
  }

  /** Returns true while the member counts as part of the cluster (alive or suspect). */
  public boolean isActive() {
    return state.isActive();
  }
}
