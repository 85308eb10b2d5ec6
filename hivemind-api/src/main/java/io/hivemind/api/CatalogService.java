package io.hivemind.api;

import java.util.List;
import java.util.Map;

/**
 * One instance as {@code GET /v1/catalog/service/{name}} lists it, in Consul's flat shape: the
 * owning agent's node fields, then the instance's {@code Service*} fields.
 *
 * @param id the owning agent's member id
 * @param node the owning agent's name
 * @param address the owning agent's host
 * @param datacenter the cluster
 * @param taggedAddresses the owning agent's addresses by kind ({@code lan}, {@code lan_port})
 * @param nodeMeta the owning agent's metadata (roles, zone, host)
 * @param serviceId the instance's id
 * @param serviceName the service's name
 * @param serviceTags the instance's tags
 * @param serviceAddress the instance's address, "" when it uses its node's {@link #address}
 * @param serviceWeights the instance's weights
 * @param serviceMeta the instance's metadata
 * @param servicePort the instance's port
 * @param serviceEnableTagOverride always false
 * @param createIndex the answering agent's catalogue index when it first held the instance
 * @param modifyIndex its catalogue index when the instance last changed there
 */
public record CatalogService(
    String id,
    String node,
    String address,
    String datacenter,
    Map<String, String> taggedAddresses,
    Map<String, String> nodeMeta,
    String serviceId,
    String serviceName,
    List<String> serviceTags,
    String serviceAddress,
    ServiceWeights serviceWeights,
    Map<String, String> serviceMeta,
    int servicePort,
    boolean serviceEnableTagOverride,
    long createIndex,
    long modifyIndex) {

  /**
   * Copies the collections; missing ones read as empty.
   *
   * @param id the node's id
   * @param node the node's name
   * @param address the node's host
   * @param datacenter the cluster
   * @param taggedAddresses the node's addresses
   * @param nodeMeta the node's metadata
   * @param serviceId the instance's id
   * @param serviceName the service's name
   * @param serviceTags its tags
   * @param serviceAddress its address
   * @param serviceWeights its weights
   * @param serviceMeta its metadata
   * @param servicePort its port
   * @param serviceEnableTagOverride always false
   * @param createIndex when first held
   * @param modifyIndex when last changed
   */
  public CatalogService {
    taggedAddresses = taggedAddresses == null ? Map.of() : Map.copyOf(taggedAddresses);
    nodeMeta = nodeMeta == null ? Map.of() : Map.copyOf(nodeMeta);
    serviceTags = serviceTags == null ? List.of() : List.copyOf(serviceTags);
    serviceMeta = serviceMeta == null ? Map.of() : Map.copyOf(serviceMeta);
  }

  /**
   * Where to reach the instance: its own address, or its node's when it registered none (Consul's
   * rule).
   *
   * @return a host
   */
  public String effectiveAddress() {
    return serviceAddress == null || serviceAddress.isEmpty() ? address : serviceAddress;
  }
}
