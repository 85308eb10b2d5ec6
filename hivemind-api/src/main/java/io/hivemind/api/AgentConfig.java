package io.hivemind.api;

import java.util.List;

/**
 * What an agent is configured as, the {@code Config} part of {@code GET /v1/agent/self}. Written
 * with UpperCamelCase names ({@code NodeName}, {@code Datacenter}) like Consul's.
 *
 * @param nodeName the agent's member name
 * @param datacenter the agent's cluster name (Consul calls the same scope a datacenter)
 * @param version the agent's version, such as {@code 0.1.0}, or {@code dev} for a build from source
 * @param revision the source revision the agent was built from; "" (none is built in). Consul's
 *     field, which strict Consul clients require
 * @param server whether the agent is a control node, which Consul calls a server
 * @param environment the environment the agent serves
 * @param roles the roles the agent performs, sorted
 * @param zone the agent's failure domain; empty when unset
 */
public record AgentConfig(
    String nodeName,
    String datacenter,
    String version,
    String revision,
    boolean server,
    Environment environment,
    List<String> roles,
    String zone) {

  /**
   * Copies the roles; a missing list, zone or revision reads as empty.
   *
   * @param nodeName the agent's member name
   * @param datacenter the agent's cluster name
   * @param version the agent's version
   * @param revision the agent's source revision
   * @param server whether it is a control node
   * @param environment the environment the agent serves
   * @param roles the agent's roles, sorted
   * @param zone the agent's failure domain
   */
  public AgentConfig {
    roles = roles == null ? List.of() : List.copyOf(roles);
    zone = zone == null ? "" : zone;
    revision = revision == null ? "" : revision;
  }
}
