package io.hivemind.server.transport;

import io.hivemind.core.state.StateDecodeException;
import io.hivemind.core.state.StateMessage;
import io.hivemind.core.state.WireStateCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;

/**
 * The partitioned state's framing, both ends (docs/protocol/state.md, "Transport"): a 4-byte
 * big-endian length, then one kind byte ({@link #HELLO} or {@link #MESSAGE}) and its body. A
 * message's body is {@link WireStateCodec}'s encoding. The length is checked against {@link
 * WireStateCodec#MAX_FRAME_BYTES} as soon as it is read, before anything is allocated for the
 * frame.
 */
final class StateFrames {

  static final int LENGTH_BYTES = 4;

  /** A {@link StateHello}: the first frame each way. */
  static final byte HELLO = 1;

  /** One {@link StateMessage}. */
  static final byte MESSAGE = 2;

  /** Largest length field accepted: a message body of the codec's limit and its kind byte. */
  static final int MAX_LENGTH = WireStateCodec.MAX_FRAME_BYTES + 1;

  private StateFrames() {}

  /** A received frame, decoded. */
  sealed interface Inbound {}

  record HelloFrame(StateHello hello) implements Inbound {}

  record MessageFrame(StateMessage message) implements Inbound {}

  /** Adds the length-field decoder under the name {@code frames}. */
  static void installDecoder(ChannelPipeline pipeline) {
    pipeline.addLast(
        "frames",
        new LengthFieldBasedFrameDecoder(
            ByteOrder.BIG_ENDIAN,
            MAX_LENGTH + LENGTH_BYTES,
            0,
            LENGTH_BYTES,
            0,
            LENGTH_BYTES,
            true)); // fail fast: refuse at the length, not after the bytes
  }

  static ByteBuf hello(StateHello hello) {
    return frame(HELLO, hello.encode());
  }

  /**
   * One message's frame, length prefix included.
   *
   * @throws IllegalArgumentException when the encoding is larger than a peer accepts
   */
  static ByteBuf message(byte[] encoded) {
    if (encoded.length > WireStateCodec.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "a state message of "
              + encoded.length
              + " bytes is larger than a frame's "
              + WireStateCodec.MAX_FRAME_BYTES);
    }
    return frame(MESSAGE, encoded);
  }

  private static ByteBuf frame(byte kind, byte[] body) {
    ByteBuf frame = Unpooled.buffer(LENGTH_BYTES + 1 + body.length);
    frame.writeInt(1 + body.length);
    frame.writeByte(kind);
    frame.writeBytes(body);
    return frame;
  }

  /**
   * One received frame (without its prefix), decoded; the buffer is not released here.
   *
   * @throws StateFrameException one sentence when the frame is empty, of an unknown kind or its
   *     body does not decode
   */
  static Inbound decode(ByteBuf frame) throws StateFrameException {
    if (!frame.isReadable()) {
      throw new StateFrameException("empty frame");
    }
    byte kind = frame.readByte();
    byte[] body = new byte[frame.readableBytes()];
    frame.readBytes(body);
    return switch (kind) {
      case HELLO -> new HelloFrame(StateHello.decode(body));
      case MESSAGE -> new MessageFrame(decodeMessage(body));
      default -> throw new StateFrameException("frame of unknown kind " + kind);
    };
  }

  private static StateMessage decodeMessage(byte[] body) throws StateFrameException {
    try {
      return WireStateCodec.decode(body);
    } catch (StateDecodeException e) {
      throw new StateFrameException("undecodable state message: " + e.getMessage());
    } catch (RuntimeException e) {
      // The codec's contract is StateDecodeException; anything else from hostile bytes is still a
      // bad frame of this connection, never a crash of the loop.
      throw new StateFrameException("state message the codec failed on: " + e);
    }
  }
}
