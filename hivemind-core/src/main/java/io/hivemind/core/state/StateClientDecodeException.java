package io.hivemind.core.state;

/**
 * Bytes that are not a valid state client frame; the message is one sentence for a log. {@link
 * #otherVersion} tells a well-formed frame of another protocol version, which an agent refuses at
 * the hello as such rather than as malformed.
 */
public final class StateClientDecodeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean otherVersion;

  StateClientDecodeException(String message, boolean otherVersion) {
    super(message);
    this.otherVersion = otherVersion;
  }

  StateClientDecodeException(String message, Throwable cause) {
    super(message, cause);
    this.otherVersion = false;
  }

  /** Whether the frame parsed but declares a version this side does not speak. */
  public boolean otherVersion() {
    return otherVersion;
  }
}
