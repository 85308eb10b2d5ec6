package io.hivemind.core.control;

import java.util.Optional;

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

  private FollowerSubmits() {}

  /** Why {@code command} is refused from a follower, or empty when a follower may submit it. */
  public static Optional<String> refusal(ControlCommand command) {
    String name = leaderOnly(command);
    return name == null
        ? Optional.empty()
        : Optional.of("a follower may not submit " + name + ": only the leader proposes it");
  }

  private static String leaderOnly(ControlCommand command) {
    if (command instanceof ControlCommand.Bootstrap) {
      return "Bootstrap";
    }
    if (command instanceof ControlCommand.Tick) {
      return "Tick";
    }
    if (command instanceof ControlCommand.CommitPartitionTable) {
      return "CommitPartitionTable";
    }
    if (command instanceof ControlCommand.Batch) {
      return "Batch";
    }
    return null;
  }
}
