package io.hivemind.server.transport;

/** A partitioned-state frame that is not valid; the message is one sentence for a log. */
final class StateFrameException extends Exception {

  private static final long serialVersionUID = 1L;

  StateFrameException(String message) {
    super(message);
  }
}
