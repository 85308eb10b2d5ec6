package io.hivemind.server.agent;

import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.state.StateConfig;
import io.hivemind.server.role.ControlConfig;
import java.util.function.Function;

/**
 * The rules of the partitioned store's settings ({@link StateSettings}) and the sentences that say
 * so, in the form of {@link SettingRules}: {@code <setting> '<value>' is not <a thing>: <why>; use
 * <what>}.
 */
final class StateRules {

  /**
   * The most backups either setting takes. Each backup is a full copy of the data and, when
   * synchronous, a round trip every write waits on; three (four copies in all) survive any three
   * crashes, more than issue 13 asks. The table itself allows up to {@link
   * PartitionTable#MAX_BACKUPS}, so this bound can grow without a wire change.
   */
  static final int MAX_BACKUPS = 3;

  private StateRules() {}

  /** Checks every state setting {@code layer} sets, naming each with {@code names}. */
  static void check(StateSettings layer, Function<Setting, String> names) {
    if (layer.partitionBackups() != null) {
      partitionBackups(layer.partitionBackups(), names.apply(Setting.PARTITION_BACKUPS));
    }
    if (layer.syncBackups() != null) {
      syncBackups(layer.syncBackups(), names.apply(Setting.STATE_SYNC_BACKUPS));
    }
  }

  /** The backups of the cluster's first partition table: {@code partition_backups} or 1. */
  static int partitionBackups(StateSettings settings) {
    return settings.partitionBackups() == null
        ? ControlConfig.DEFAULT_PARTITION_BACKUPS
        : partitionBackups(settings.partitionBackups(), Setting.PARTITION_BACKUPS.yamlKey());
  }

  /**
   * The agent's store configuration: {@link StateConfig#defaults()} with {@code state_sync_backups}
   * when it is set.
   */
  static StateConfig state(StateSettings settings) {
    StateConfig defaults = StateConfig.defaults();
    if (settings.syncBackups() == null) {
      return defaults;
    }
    return new StateConfig(
        syncBackups(settings.syncBackups(), Setting.STATE_SYNC_BACKUPS.yamlKey()),
        defaults.requestTimeoutMillis(),
        defaults.maxPendingRequests(),
        defaults.snapshotChunkBytes(),
        defaults.maxParallelStreams());
  }

  static int partitionBackups(String value, String name) {
    return count(value, name, "a backup count");
  }

  static int syncBackups(String value, String name) {
    return count(value, name, "a synchronous backup count");
  }

  private static int count(String value, String name, String what) {
    try {
      int count = Integer.parseInt(value.trim());
      if (count >= 0 && count <= MAX_BACKUPS) {
        return count;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new ConfigException(
        name
            + " "
            + SettingRules.quote(value)
            + " is not "
            + what
            + ": use a number from 0 to "
            + MAX_BACKUPS);
  }
}
