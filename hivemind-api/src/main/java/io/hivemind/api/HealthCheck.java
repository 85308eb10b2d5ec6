package io.hivemind.api;

import java.util.List;

/**
 * A check's latest result as {@code /v1/agent/checks}, {@code /v1/health/checks/{name}}, {@code
 * /v1/health/state/{state}} and the {@code Checks} of {@code /v1/health/service/{name}} show it, in
 * Consul's shape.
 *
 * @param node the owning agent's name
 * @param checkId the check's id, unique on its agent
 * @param name a human name
 * @param status {@code passing}, {@code warning} or {@code critical}
 * @param notes always "": notes stay with the definition on the owning agent
 * @param output the check's latest output
 * @param serviceId the instance it belongs to
 * @param serviceName that instance's service
 * @param serviceTags that instance's tags
 * @param type {@code ttl}, {@code http} or {@code tcp}
 * @param createIndex the answering agent's catalogue index when it first held the instance
 * @param modifyIndex its catalogue index when the instance (or this check) last changed there
 */
public record HealthCheck(
    String node,
    String checkId,
    String name,
    String status,
    String notes,
    String output,
    String serviceId,
    String serviceName,
    List<String> serviceTags,
    String type,
    long createIndex,
    long modifyIndex) {

  /**
   * Copies the tags; missing ones read as empty.
   *
   * @param node the owning agent
   * @param checkId the check's id
   * @param name its name
   * @param status its status
   * @param notes ""
   * @param output its output
   * @param serviceId its instance
   * @param serviceName its service
   * @param serviceTags its instance's tags
   * @param type its kind
   * @param createIndex when first held
   * @param modifyIndex when last changed
   */
  public HealthCheck {
    serviceTags = serviceTags == null ? List.of() : List.copyOf(serviceTags);
  }
}
