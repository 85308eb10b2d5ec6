package io.hivemind.server.agent;

/**
 * One layer of the partitioned store's settings (issue 13), kept in a record of its own as {@link
 * DnsSettings} is: a null component means "not set in this layer". Values stay text until {@link
 * StateRules} checks them, naming the setting as its layer spells it.
 *
 * @param partitionBackups backups of each partition in the cluster's first partition table (read by
 *     control nodes only); default 1
 * @param syncBackups backups that must hold a write before its owner acknowledges it; default 1
 */
public record StateSettings(String partitionBackups, String syncBackups) {

  /** A layer that sets none of them. */
  public static final StateSettings NONE = new StateSettings(null, null);

  /** These settings with every component {@code higher} sets taking its place. */
  StateSettings overlay(StateSettings higher) {
    return new StateSettings(
        pick(higher.partitionBackups, partitionBackups), pick(higher.syncBackups, syncBackups));
  }

  private static <T> T pick(T higher, T lower) {
    return higher != null ? higher : lower;
  }
}
