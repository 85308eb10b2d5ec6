package io.hivemind.core.control;

/**
 * The control plane's bytes: log entries, apply results and snapshots, as protobuf ({@code
 * control.proto}). Decoding validates once at the edge ({@link ControlDecodeException} names what
 * is wrong); the state machine only ever sees records.
 */
public final class WireControlCodec {

  private WireControlCodec() {}

  public static byte[] encodeEntry(ControlEntry entry) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  public static ControlEntry decodeEntry(byte[] bytes) throws ControlDecodeException {
    throw new UnsupportedOperationException("not implemented yet");
  }

  public static byte[] encodeResult(ApplyResult result) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  public static ApplyResult decodeResult(byte[] bytes) throws ControlDecodeException {
    throw new UnsupportedOperationException("not implemented yet");
  }

  public static byte[] encodeSnapshot(ControlSnapshot snapshot) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  public static ControlSnapshot decodeSnapshot(byte[] bytes) throws ControlDecodeException {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
