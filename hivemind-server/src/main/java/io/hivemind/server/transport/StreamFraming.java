package io.hivemind.server.transport;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The stream wire format, shared by both ends: one frame each way, a 4-byte big-endian length then
 * that many bytes (a {@code StreamFrame}, sealed when a keyring is set). The length is read
 * unsigned and checked against the limit before any buffer is allocated for the frame.
 */
final class StreamFraming {

  static final int LENGTH_BYTES = 4;

  private StreamFraming() {}

  /** Adds the read timeout and framing in front of {@code last}. */
  static void install(ChannelPipeline pipeline, TransportConfig config) {
    pipeline.addLast(
        new ReadTimeoutHandler(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS));
    pipeline.addLast(
        new LengthFieldBasedFrameDecoder(
            ByteOrder.BIG_ENDIAN,
            config.maxFrameBytes() + LENGTH_BYTES, // the limit counts the prefix too
            0,
            LENGTH_BYTES,
            0,
            LENGTH_BYTES,
            true)); // fail fast: reject as soon as the length is read, not after the bytes
    pipeline.addLast(new LengthFieldPrepender(LENGTH_BYTES));
  }

  /** Counts a frame the decoder rejected; returns true if {@code cause} was one. */
  static boolean countFramingError(Throwable cause, TransportStats stats) {
    if (cause instanceof TooLongFrameException) {
      stats.droppedOversized.increment();
      return true;
    }
    if (cause instanceof DecoderException) {
      stats.droppedMalformed.increment();
      return true;
    }
    return false;
  }
}
