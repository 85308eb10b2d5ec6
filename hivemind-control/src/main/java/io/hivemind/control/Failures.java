package io.hivemind.control;

import io.hivemind.server.control.NoQuorumException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.StateMachineException;

/**
 * Maps what Ratis fails with to what the agent can act on: anything that means "no leader answered"
 * (no leader, not enough peers, a timeout, a closed connection) becomes {@link NoQuorumException};
 * anything else stays what it is.
 */
final class Failures {

  private Failures() {}

  static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * Whether {@code failure} leaves the Ratis client that sent the request unusable: its ordered
   * async window closes for good once a request used up its retries (no leader within the submit
   * bound, as while a group forms or without quorum), and every later request then fails at once
   * with "SlidingWindow$Client ... is closed".
   */
  static boolean breaksClient(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof AlreadyClosedException || cause instanceof RaftRetryFailureException) {
        return true;
      }
    }
    return false;
  }

  /** What {@code failure} of an operation bounded by {@code bound} means to a caller. */
  static RuntimeException translate(String operation, Throwable failure, Duration bound) {
    Throwable cause = unwrap(failure);
    if (cause instanceof NoQuorumException noQuorum) {
      return noQuorum;
    }
    if (cause instanceof TimeoutException) {
      return new NoQuorumException(
          operation + ": no leader answered within " + bound.toMillis() + " ms", cause);
    }
    if (cause instanceof StateMachineException) {
      return new IllegalStateException(operation + ": the state machine failed", cause);
    }
    if (cause instanceof IOException) {
      return new NoQuorumException(operation + ": no quorum (" + cause.getMessage() + ")", cause);
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    return new IllegalStateException(operation + " failed", cause);
  }
}
