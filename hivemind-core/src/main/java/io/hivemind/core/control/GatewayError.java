package io.hivemind.core.control;

/**
 * Why the gateway could not answer a request; stable, so followers can map each to an exception.
 */
public enum GatewayError {
  /** No leader answered: the cluster is degraded or the gateway's node is on a minority side. */
  NO_QUORUM,
  /** The request could not be decoded. */
  INVALID_REQUEST,
  /** Too many requests of this connection are in flight. */
  TOO_MANY_REQUESTS,
  /** Anything else went wrong on the gateway's node. */
  INTERNAL,
  /** The control node refused an admission before proposing it (join token). */
  ADMISSION_REFUSED,
  /**
   * The handshake ({@link GatewayMessage.Follow} or {@link GatewayMessage.MeshPeer}) declared
   * another environment than the gateway's, or none; sent with request id 0, then the gateway
   * closes the connection.
   */
  WRONG_ENVIRONMENT,
  /**
   * Under the control node's ACLs, the token of the request the command was made for may not make
   * it ({@link CommandAccess}): a KV write, an ACL token, an event.
   */
  ACL_DENIED
}
