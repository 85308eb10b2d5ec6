package io.hivemind.core.state;

/** Bytes that are not a valid state message; the message is one sentence for a log. */
public final class StateDecodeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StateDecodeException(String message) {
    super(message);
  }

  public StateDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
