package io.hivemind.server.transport;

/**
 * A sealed frame that no key of the keyring opens: wrong key, tampered bytes, wrong frame kind,
 * unknown envelope version or too short to be sealed. Never carries key material.
 */
final class UnauthenticatedFrameException extends Exception {

  private static final long serialVersionUID = 1L;

  UnauthenticatedFrameException(String message) {
    super(message);
  }
}
