package io.hivemind.server.agent;

import java.util.List;

/**
 * One layer of the control plane's settings, the part of {@link AgentSettings} issue 10 added: a
 * null component means "not set in this layer", as there. Kept in a record of its own so that the
 * layers that set none of them ({@link AgentSettings}'s shorter constructor) stay short.
 *
 * <p>{@code joinToken} and {@code joinTokenFile} are two spellings of one secret: a layer that sets
 * either replaces both of a lower layer's (a flag's file beats a variable's token), and one layer
 * may not set both. {@link #toString} never shows the token.
 *
 * @param dataDir where the node keeps durable state (Raft log, snapshots)
 * @param bootstrapExpect control nodes that form the group: 0, 1 (development only), 3 or 5
 * @param joinToken the secret joining nodes present; prefer the variable or a file: a flag is
 *     visible to every user of the host in {@code ps}
 * @param joinTokenFile a file holding the join token
 * @param requireRoles roles that must be present in the cluster before this node operates
 * @param tlsCaFile the cluster CA certificate (PEM)
 * @param tlsCertFile this node's certificate (PEM)
 * @param tlsKeyFile this node's private key (PEM)
 * @param controlBind the Raft server's bind address, {@code host} or {@code host:port}
 * @param controlGatewayBind the control gateway's bind address, {@code host} or {@code host:port}
 */
public record ControlSettings(
    String dataDir,
    Integer bootstrapExpect,
    String joinToken,
    String joinTokenFile,
    List<String> requireRoles,
    String tlsCaFile,
    String tlsCertFile,
    String tlsKeyFile,
    String controlBind,
    String controlGatewayBind) {

  /** A layer that sets none of them. */
  public static final ControlSettings NONE =
      new ControlSettings(null, null, null, null, null, null, null, null, null, null);

  /** These settings with every component {@code higher} sets taking its place. */
  ControlSettings overlay(ControlSettings higher) {
    boolean higherToken = higher.joinToken != null || higher.joinTokenFile != null;
    return new ControlSettings(
        pick(higher.dataDir, dataDir),
        pick(higher.bootstrapExpect, bootstrapExpect),
        higherToken ? higher.joinToken : joinToken,
        higherToken ? higher.joinTokenFile : joinTokenFile,
        pick(higher.requireRoles, requireRoles),
        pick(higher.tlsCaFile, tlsCaFile),
        pick(higher.tlsCertFile, tlsCertFile),
        pick(higher.tlsKeyFile, tlsKeyFile),
        pick(higher.controlBind, controlBind),
        pick(higher.controlGatewayBind, controlGatewayBind));
  }

  private static <T> T pick(T higher, T lower) {
    return higher != null ? higher : lower;
  }

  /** The components, the join token redacted: a layer may be logged while debugging. */
  @Override
  public String toString() {
    return "ControlSettings[dataDir="
        + dataDir
        + ", bootstrapExpect="
        + bootstrapExpect
        + ", joinToken="
        + (joinToken == null ? "null" : "redacted")
        + ", joinTokenFile="
        + joinTokenFile
        + ", requireRoles="
        + requireRoles
        + ", tlsCaFile="
        + tlsCaFile
        + ", tlsCertFile="
        + tlsCertFile
        + ", tlsKeyFile="
        + tlsKeyFile
        + ", controlBind="
        + controlBind
        + ", controlGatewayBind="
        + controlGatewayBind
        + "]";
  }
}
