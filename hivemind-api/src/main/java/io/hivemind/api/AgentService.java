package io.hivemind.api;

import java.util.List;
import java.util.Map;

/**
 * One service instance as {@code GET /v1/agent/services}, {@code GET /v1/agent/service/{id}} and
 * the {@code Service} of {@code GET /v1/health/service/{name}} show it, in Consul's shape ({@code
 * {"ID": "web-1", "Service": "web", "Tags": [...], "Meta": {...}, "Port": 8080, "Address": "",
 * "Weights": {...}, "EnableTagOverride": false, "Datacenter": "main", "CreateIndex": 7,
 * "ModifyIndex": 9}}).
 *
 * @param id the instance's id, unique on its agent
 * @param service the service's name
 * @param tags its tags, in the order registered
 * @param meta its metadata
 * @param port its port, 0 when it has none
 * @param address its address; "" means its agent's address (the node's {@code Address})
 * @param weights its weights for load balancing
 * @param enableTagOverride always false: only the owning agent changes an instance
 * @param datacenter the cluster it is registered in
 * @param createIndex the answering agent's catalogue index when it first held the instance
 * @param modifyIndex its catalogue index when the instance last changed there
 */
public record AgentService(
    String id,
    String service,
    List<String> tags,
    Map<String, String> meta,
    int port,
    String address,
    ServiceWeights weights,
    boolean enableTagOverride,
    String datacenter,
    long createIndex,
    long modifyIndex) {

  /**
   * Copies the collections; missing ones read as empty.
   *
   * @param id the instance's id
   * @param service the service's name
   * @param tags its tags
   * @param meta its metadata
   * @param port its port
   * @param address its address, "" for its agent's
   * @param weights its weights
   * @param enableTagOverride always false
   * @param datacenter its cluster
   * @param createIndex when first held
   * @param modifyIndex when last changed
   */
  public AgentService {
    tags = tags == null ? List.of() : List.copyOf(tags);
    meta = meta == null ? Map.of() : Map.copyOf(meta);
  }
}
