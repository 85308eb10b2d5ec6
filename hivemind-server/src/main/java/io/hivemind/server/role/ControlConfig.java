package io.hivemind.server.role;

import io.hivemind.core.control.ControlMember;
import io.hivemind.core.membership.Address;
import io.hivemind.core.partition.PartitionTable;
import java.util.Objects;
import java.util.Set;

/**
 * The control plane's settings, checked by the agent's configuration: what the {@code control}
 * role, admission and the follow feed read.
 *
 * @param bootstrapExpect voters of the Raft group this node forms once that many control nodes have
 *     found each other through gossip (1, 3 or 5); 0: this node forms no group itself, it joins one
 *     that exists
 * @param raftBind where the control plane's Raft server listens
 * @param gatewayBind where the control gateway listens: join requests and the follow feed of plain
 *     agents
 * @param joinToken the token a joining node must present; null: none is asked for
 * @param requireRoles roles that must be present in the cluster before this node operates
 * @param tls mutual TLS files; null: control traffic in plaintext
 * @param partitionBackups backups of each partition in the cluster's first partition table, which
 *     the leader plans (issue 13); later tables keep the committed table's count
 */
public record ControlConfig(
    int bootstrapExpect,
    Address raftBind,
    Address gatewayBind,
    JoinToken joinToken,
    Set<String> requireRoles,
    TlsFiles tls,
    int partitionBackups) {

  /** The name of the role that runs the control plane. */
  public static final String CONTROL_ROLE = ControlMember.CONTROL_ROLE;

  /**
   * One backup per partition: a single crash loses nothing and promotion needs no copy, at twice
   * the data (issue 13's default).
   */
  public static final int DEFAULT_PARTITION_BACKUPS = 1;

  public ControlConfig {
    Objects.requireNonNull(raftBind, "raftBind");
    Objects.requireNonNull(gatewayBind, "gatewayBind");
    requireRoles = Set.copyOf(requireRoles);
    if (partitionBackups < 0 || partitionBackups > PartitionTable.MAX_BACKUPS) {
      throw new IllegalArgumentException(
          "partition backups must be 0 to " + PartitionTable.MAX_BACKUPS + ": " + partitionBackups);
    }
  }

  /** Settings with {@link #DEFAULT_PARTITION_BACKUPS}: the shape before that setting. */
  public ControlConfig(
      int bootstrapExpect,
      Address raftBind,
      Address gatewayBind,
      JoinToken joinToken,
      Set<String> requireRoles,
      TlsFiles tls) {
    this(
        bootstrapExpect,
        raftBind,
        gatewayBind,
        joinToken,
        requireRoles,
        tls,
        DEFAULT_PARTITION_BACKUPS);
  }

  /** These settings with {@code partitionBackups} backups in the first partition table. */
  public ControlConfig withPartitionBackups(int partitionBackups) {
    return new ControlConfig(
        bootstrapExpect, raftBind, gatewayBind, joinToken, requireRoles, tls, partitionBackups);
  }

  /** True when joining nodes must present a token. */
  public boolean hasJoinToken() {
    return joinToken != null;
  }

  /** True when control traffic is mutual TLS. */
  public boolean hasTls() {
    return tls != null;
  }
}
