package io.hivemind.server.transport;

/**
 * What a sealed frame is for. Bound into the AES-GCM associated data, so a captured datagram cannot
 * be replayed as a stream request, nor a stream response as a request: decryption with the wrong
 * kind fails authentication.
 */
enum FrameKind {
  PACKET((byte) 1),
  STREAM_REQUEST((byte) 2),
  STREAM_RESPONSE((byte) 3);

  private final byte wireId;

  FrameKind(byte wireId) {
    this.wireId = wireId;
  }

  byte wireId() {
    return wireId;
  }
}
