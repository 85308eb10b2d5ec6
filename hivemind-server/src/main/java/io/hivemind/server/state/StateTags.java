package io.hivemind.server.state;

/**
 * The gossip tags every agent announces for the partitioned state (issue 13), so that a table's
 * member ids lead to addresses without configuration: member id → control member (its name) →
 * gossip member of that name → these tags.
 */
public final class StateTags {

  /** {@code host:port} of the agent's partitioned-state listener (node to node). */
  public static final String STATE_ADDRESS = "state.address";

  /** {@code host:port} of the agent's HTTP API, for clients that route by partition. */
  public static final String HTTP_ADDRESS = "http.address";

  /**
   * {@code host:port} of the agent's partitioned-state client listener ({@code
   * state_client.proto}), for clients that route by partition over the binary protocol.
   */
  public static final String STATE_CLIENT_ADDRESS = "state.client";

  private StateTags() {}
}
