package io.hivemind.server.transport;

import io.hivemind.server.acl.AclTokenResolver;
import io.hivemind.server.state.StateRequests;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the state client port needs of its agent.
 *
 * @param environment the one environment the agent serves: a hello of another is refused
 * @param cluster the agent's cluster: a hello naming another is refused
 * @param agentId the agent's member id, as the partition table names it (the welcome says it)
 * @param requests where requests go: the same entry the HTTP API's {@code /v1/state} uses
 * @param acl a new token resolver for one connection (each connection's cache is its loop's); with
 *     ACLs off, may return one disabled resolver for all
 */
public record StateClientContext(
    String environment,
    String cluster,
    Supplier<String> agentId,
    StateRequests requests,
    Supplier<AclTokenResolver> acl) {

  public StateClientContext {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(acl, "acl");
  }
}
