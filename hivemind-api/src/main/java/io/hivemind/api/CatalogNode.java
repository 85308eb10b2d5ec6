package io.hivemind.api;

import java.util.Map;

/**
 * One admitted member as {@code GET /v1/catalog/nodes} lists it, in Consul's shape. Only members
 * the control plane admitted are listed: a node that was never admitted appears nowhere.
 *
 * @param id the member's id: unique per life of a node (one that rejoins gets a new one)
 * @param node the member's name
 * @param address the host its gossip listens on
 * @param datacenter the cluster's name
 * @param taggedAddresses {@code lan} (host) and {@code lan_port} (gossip port)
 * @param meta {@code roles} (comma-separated), {@code zone}, {@code host} and {@code
 *     admitted_epoch}
 * @param createIndex the log index of its admission
 * @param modifyIndex the same: an admitted member's entry never changes
 */
public record CatalogNode(
    String id,
    String node,
    String address,
    String datacenter,
    Map<String, String> taggedAddresses,
    Map<String, String> meta,
    long createIndex,
    long modifyIndex) {

  /**
   * Copies the maps; missing ones read as empty.
   *
   * @param id the member's id
   * @param node its name
   * @param address its host
   * @param datacenter the cluster
   * @param taggedAddresses its addresses by kind
   * @param meta roles, zone, host, admitted epoch
   * @param createIndex its admission's index
   * @param modifyIndex the same
   */
  public CatalogNode {
    taggedAddresses = taggedAddresses == null ? Map.of() : Map.copyOf(taggedAddresses);
    meta = meta == null ? Map.of() : Map.copyOf(meta);
  }
}
