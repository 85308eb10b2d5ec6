package io.hivemind.core.control;

import java.util.Optional;
import java.util.Set;

/**
 * Which commands a control node accepts from a follower through its gateway. Agents submit what
 * their users and their own membership ask for (an admission, a leave, observations, KV, ACL and
 * catalogue writes, events, a drain, completed moves); the commands that drive the cluster itself
 * (the bootstrap entry, the removal rule's clock, partition tables, batches) are proposed by the
 * leader alone. A follower that submits one is either broken or hostile: a forged partition table
 * would move every partition, a flood of ticks would run the removal rule's clock as often as it
 * likes. Pure; the gateway asks it before proposing anything.
 */
public final class FollowerSubmits {

  // Records, so final: a command is of one of these classes exactly or of none.
  private static final Set<Class<? extends ControlCommand>> LEADER_ONLY =
      Set.of(
          ControlCommand.Bootstrap.class,
          ControlCommand.Tick.class,
          ControlCommand.CommitPartitionTable.class,
          ControlCommand.Batch.class);

  private FollowerSubmits() {}

  /** Why {@code command} is refused from a follower, or empty when a follower may submit it. */
  public static Optional<String> refusal(ControlCommand command) {
    if (!LEADER_ONLY.contains(command.getClass())) {
      return Optional.empty();
    }
    return Optional.of(
        "a follower may not submit "
            + command.getClass().getSimpleName()
            + ": only the leader proposes it");
  }
}
