package io.hivemind.core.membership;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One message encoded for the wire, ready to go into packets: what {@link BroadcastQueue} holds and
 * {@link WireCodec#packet} assembles. Opaque to the protocol, which only asks its size.
 *
 * <p>Encoded once, sent many times: a gossiped update goes out in up to {@code retransmitLimit}
 * packets, and encoding it again for each would cost more than the packet assembly. The array is
 * never written after construction and never handed out except to the codec, so it is not copied.
 */
final class EncodedMessage {

  private final byte[] bytes;
  private final int fieldSize;

  /** Takes ownership of {@code bytes}: the caller must not write them afterwards. */
  EncodedMessage(byte[] bytes) {
    this.bytes = bytes;
    this.fieldSize = WireCodec.messageFieldSize(bytes.length);
  }

  /** Bytes of the message alone. */
  int size() {
    return bytes.length;
  }

  /** Bytes this message takes inside a packet: its field tag and length, then the message. */
  int fieldSize() {
    return fieldSize;
  }

  /** For the codec only, which copies them into a packet. */
  byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EncodedMessage that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "EncodedMessage[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
