package io.hivemind.core.state;

/**
 * A request this node is working on.
 *
 * @param routedVersion the table version the caller routed by (0: unrouted)
 * @param retries redirects already followed for it (at most {@link #MAX_RETRIES})
 * @param deadlineMillis when it is answered TIMEOUT if still open
 */
record Request(Origin origin, StateOp op, long routedVersion, int retries, long deadlineMillis) {

  /** Redirects a forwarding node follows before it gives the redirect to its caller. */
  static final int MAX_RETRIES = 2;

  Request retried(long atLeastVersion) {
    return new Request(origin, op, atLeastVersion, retries + 1, deadlineMillis);
  }
}
