package io.hivemind.core.state;

/**
 * The state protocol's edge to the wire (docs/protocol/state.md): the only class of this package
 * that sees protobuf. SKELETON: the core piece implements it.
 */
public final class WireStateCodec {

  /** Largest frame a node accepts or sends: a snapshot chunk plus headroom. */
  public static final int MAX_FRAME_BYTES = 2 * StateLimits.MAX_VALUE_BYTES + (64 << 10);

  private WireStateCodec() {}

  /** The message's bytes. */
  public static byte[] encode(StateMessage message) {
    throw new UnsupportedOperationException("skeleton");
  }

  /**
   * The message in {@code bytes}.
   *
   * @throws StateDecodeException with one sentence when the bytes are not a valid message
   */
  public static StateMessage decode(byte[] bytes) {
    throw new UnsupportedOperationException("skeleton");
  }
}
