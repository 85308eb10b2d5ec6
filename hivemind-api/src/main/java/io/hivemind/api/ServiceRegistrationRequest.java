package io.hivemind.api;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code PUT /v1/agent/service/register}, in Consul's shape ({@code
 * AgentServiceRegistration}): an instance the agent will own, and the checks it runs for it.
 *
 * @param id the instance's id, unique on the agent; null for the service's name
 * @param name the service's name: letters, digits, '-' and '_', at most 63
 * @param tags its tags; null for none
 * @param address its address; null or "" for the agent's address
 * @param port its port, 0 to 65535
 * @param meta its metadata; null for none
 * @param weights its weights; null for Consul's default (1 and 1)
 * @param check its one check; null for none
 * @param checks its checks, besides {@link #check}; null for none
 */
public record ServiceRegistrationRequest(
    String id,
    String name,
    List<String> tags,
    String address,
    int port,
    Map<String, String> meta,
    ServiceWeights weights,
    CheckRequest check,
    List<CheckRequest> checks) {

  /**
   * A registration of {@code name} at {@code address:port} with no tags, metadata or checks.
   *
   * @param id the instance's id, or null for {@code name}
   * @param name the service's name
   * @param address its address, or "" for the agent's
   * @param port its port
   * @return the registration
   */
  public static ServiceRegistrationRequest of(String id, String name, String address, int port) {
    return new ServiceRegistrationRequest(id, name, null, address, port, null, null, null, null);
  }
}
