package io.hivemind.server.control;

/**
 * The control plane cannot commit: no leader is reachable (the cluster is degraded, or this node is
 * on a minority side). Reads from local state keep working; the API answers 503 {@code no_quorum}.
 */
public final class NoQuorumException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The API's stable error code. */
  public static final String CODE = "no_quorum";

  public NoQuorumException(String message) {
    super(message);
  }

  public NoQuorumException(String message, Throwable cause) {
    super(message, cause);
  }
}
