package io.hivemind.server.transport;

import io.hivemind.core.control.ControlDecodeException;
import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.control.WireGatewayCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;

/**
 * The control gateway's framing, both ends: each message is a 4-byte big-endian length, then one
 * encoded {@code GatewayFrame} (docs/protocol/control.md, "Follow feed"). Unlike gossip streams a
 * gateway connection carries frames both ways for as long as it lives. The length is checked
 * against the receiver's limit as soon as it is read, before anything is allocated for the frame.
 */
final class GatewayFrames {

  static final int LENGTH_BYTES = 4;

  private GatewayFrames() {}

  /** Adds the length-field decoder under the name {@code frames}. */
  static void installDecoder(ChannelPipeline pipeline, int maxFrameBytes) {
    pipeline.addLast(
        "frames",
        new LengthFieldBasedFrameDecoder(
            ByteOrder.BIG_ENDIAN,
            maxFrameBytes + LENGTH_BYTES,
            0,
            LENGTH_BYTES,
            0,
            LENGTH_BYTES,
            true)); // fail fast: refuse at the length, not after the bytes
  }

  /** One message, length prefix included: ready to write (or to share, duplicated, to many). */
  static ByteBuf encode(GatewayMessage message) {
    byte[] body = WireGatewayCodec.encode(message);
    ByteBuf frame = Unpooled.buffer(LENGTH_BYTES + body.length);
    frame.writeInt(body.length);
    frame.writeBytes(body);
    return frame;
  }

  /** One received frame (without its prefix), decoded; the buffer is not released here. */
  static GatewayMessage decode(ByteBuf frame) throws ControlDecodeException {
    return WireGatewayCodec.decode(ByteBufUtil.getBytes(frame));
  }
}
