package io.hivemind.server.control;

/**
 * The gossip tags a control node announces, so that other nodes find its Raft port (to form or grow
 * the group) and its control gateway (to follow the committed log) without configuration.
 */
public final class ControlTags {

  /** {@code host:port} of the node's control gateway. */
  public static final String GATEWAY_ADDRESS = "control.gateway";

  private ControlTags() {}
}
