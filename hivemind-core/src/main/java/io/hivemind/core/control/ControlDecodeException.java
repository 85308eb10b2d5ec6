package io.hivemind.core.control;

/** Bytes that are not a valid control-plane message; the message says what is wrong. */
public final class ControlDecodeException extends Exception {

  private static final long serialVersionUID = 1L;

  public ControlDecodeException(String message) {
    super(message);
  }

  public ControlDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
