package io.hivemind.core.membership;

/** A received packet or frame that must be dropped, and why. Never escapes the node. */
final class WireException extends Exception {
  private static final long serialVersionUID = 1L;

  private final DropReason reason;

  WireException(DropReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  DropReason reason() {
    return reason;
  }
}
