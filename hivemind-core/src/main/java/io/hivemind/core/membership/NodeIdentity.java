package io.hivemind.core.membership;

import io.hivemind.api.Environment;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who a node is: what it announces to the cluster about itself. Fixed for the node's lifetime
 * except for roles, tags and zone, which a running node may change (see {@link
 * MembershipNode#updateMeta}).
 *
 * @param name unique within the cluster; at most {@value #MAX_NAME_BYTES} bytes of UTF-8
 * @param address where others reach this node (the advertise address)
 * @param cluster cluster name; packets of other clusters are dropped
 * @param environment packets of other environments are dropped
 * @param roles roles this node performs ({@code control}, {@code catalog}, ...)
 * @param tags free-form metadata
 * @param zone failure domain (rack, availability zone); may be empty
 */
public record NodeIdentity(
    String name,
    Address address,
    String cluster,
    Environment environment,
    Set<String> roles,
    Map<String, String> tags,
    String zone) {

  /** Longest node name, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 128;

  /** Longest cluster name, in UTF-8 bytes. */
  public static final int MAX_CLUSTER_BYTES = 64;

  public NodeIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(environment, "environment");
    requireLength("node name", name, MAX_NAME_BYTES);
    if (!FieldRules.isNodeName(name)) {
      // Peers would drop every message naming us (WireDecoder): refuse to start as such a node.
      throw new IllegalArgumentException(
          "node name '"
              + name
              + "' is not 1.."
              + MAX_NAME_BYTES
              + " bytes of ASCII letters, digits, '-', '_' and '.' starting with a letter or"
              + " digit");
    }
    requireLength("cluster name", cluster, MAX_CLUSTER_BYTES);
    roles = Set.copyOf(roles);
    tags = Map.copyOf(tags);
    zone = zone == null ? "" : zone;
    int metaBytes = MemberMeta.encodedSize(roles, tags, zone);
    if (metaBytes > MemberMeta.MAX_BYTES) {
      throw new IllegalArgumentException(
          "roles, tags and zone take "
              + metaBytes
              + " bytes; at most "
              + MemberMeta.MAX_BYTES
              + " are allowed");
    }
  }

  /** A node with no roles, tags or zone. */
  public static NodeIdentity of(
      String name, Address address, String cluster, Environment environment) {
    return new NodeIdentity(name, address, cluster, environment, Set.of(), Map.of(), "");
  }

  /** This identity with other roles, tags and zone. */
  public NodeIdentity withMeta(Set<String> roles, Map<String, String> tags, String zone) {
    return new NodeIdentity(name, address, cluster, environment, roles, tags, zone);
  }

  private static void requireLength(String what, String value, int maxBytes) {
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > maxBytes) {
      throw new IllegalArgumentException(
          what + " must be 1.." + maxBytes + " bytes, got " + bytes + ": '" + value + "'");
    }
  }
}
