package io.hivemind.core.control;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which control nodes should vote: the Raft configuration the leader moves to so that a dead voter
 * is replaced by another control-capable member, and the group grows to its target size as control
 * nodes are admitted (docs/protocol/control.md, "Raft group").
 *
 * <p>The rule, deterministic for given inputs:
 *
 * <ul>
 *   <li>Size: the target (3 or 5), or fewer when fewer committed control members exist; an even
 *       count uses the odd size below it (4 candidates vote as 3: a fourth voter raises the quorum
 *       without tolerating another failure).
 *   <li>Live voters stay (the highest names leave first when there are too many).
 *   <li>Live control members that do not vote yet fill the free seats, lowest names first.
 *   <li>A voter that gossip shows dead but that is still a committed member keeps its seat while no
 *       live member can take it (it may come back; a smaller group would not be safer).
 *   <li>A voter that is no longer a committed control member (removed, left) always leaves.
 * </ul>
 *
 * <p>Pure: the leader's control role calls it when the registry or liveness changes, then applies
 * {@link #voters()} with one configuration change.
 *
 * @param voters the configuration to move to, sorted
 * @param add members in {@code voters} that do not vote now, sorted
 * @param remove current voters not in {@code voters}, sorted
 */
public record VoterPlan(List<String> voters, List<String> add, List<String> remove) {

  /** The usual group: tolerates one failed voter. */
  public static final int SMALL = 3;

  /** The large group: tolerates two failed voters, at the cost of a larger quorum per commit. */
  public static final int LARGE = 5;

  public VoterPlan {
    voters = List.copyOf(voters);
    add = List.copyOf(add);
    remove = List.copyOf(remove);
  }

  /** Whether the configuration stays as it is. */
  public boolean unchanged() {
    return add.isEmpty() && remove.isEmpty();
  }

  /**
   * Plans the next configuration.
   *
   * @param currentVoters the voters of the current Raft configuration
   * @param controlMembers names of the committed members with the control role
   * @param alive names that gossip shows alive (others are suspect, dead or unknown)
   * @param targetSize {@link #SMALL} or {@link #LARGE}
   */
  public static VoterPlan plan(
      Collection<String> currentVoters,
      Collection<String> controlMembers,
      Set<String> alive,
      int targetSize) {
    if (targetSize != SMALL && targetSize != LARGE) {
      throw new IllegalArgumentException("target size must be 3 or 5: " + targetSize);
    }
    TreeSet<String> voters = new TreeSet<>(currentVoters);
    TreeSet<String> members = new TreeSet<>(controlMembers);
    int size = oddAtMost(Math.min(targetSize, members.size()));
    List<String> next = new ArrayList<>();
    voters.stream().filter(v -> members.contains(v) && alive.contains(v)).forEach(next::add);
    members.stream().filter(m -> !voters.contains(m) && alive.contains(m)).forEach(next::add);
    voters.stream().filter(v -> members.contains(v) && !alive.contains(v)).forEach(next::add);
    List<String> chosen =
        new TreeSet<>(next.subList(0, Math.min(size, next.size()))).stream().toList();
    if (chosen.stream().noneMatch(alive::contains)) {
      // Nobody alive to vote: any change would need a quorum that does not exist.
      return new VoterPlan(voters.stream().toList(), List.of(), List.of());
    }
    return new VoterPlan(
        chosen,
        chosen.stream().filter(m -> !voters.contains(m)).toList(),
        voters.stream().filter(v -> !chosen.contains(v)).toList());
  }

  private static int oddAtMost(int n) {
    return n % 2 == 0 ? Math.max(n - 1, 0) : n;
  }
}
