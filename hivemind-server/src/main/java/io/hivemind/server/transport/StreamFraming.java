package io.hivemind.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The stream wire format, shared by both ends: one frame each way, a 4-byte big-endian length then
 * that many bytes (a {@code StreamFrame}, sealed when a keyring is set). The length is read
 * unsigned and checked against the limit before any buffer is allocated for the frame.
 *
 * <p>Two ways a frame is rejected, both counted by {@link #countFramingError}: a length over the
 * limit ({@code oversized}; an unsigned length is never negative, so this is every bad length), and
 * a stream that ends part-way through a frame or its length prefix ({@code malformed}). A stream
 * carries one frame each way: bytes after it are skipped unread, so they are never counted as a
 * framing error of a stream that was served.
 */
final class StreamFraming {

  static final int LENGTH_BYTES = 4;

  private StreamFraming() {}

  /** Adds the read timeout and framing, then {@code last}, the stream's own handler. */
  static void install(ChannelPipeline pipeline, TransportConfig config, ChannelHandler last) {
    pipeline
        .addLast(new ReadTimeoutHandler(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .addLast(new FrameDecoder(config.maxFrameBytes()))
        .addLast(new LengthFieldPrepender(LENGTH_BYTES))
        .addLast(last);
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

  /**
   * Netty's length-field decoder for one frame, plus a check when the stream ends: Netty discards
   * the bytes of a frame that never completed without a word, so a peer that cuts its frames short
   * (it crashed mid-write, reset the connection, or stalled until the read timeout) would go
   * unseen.
   */
  private static final class FrameDecoder extends LengthFieldBasedFrameDecoder {

    /** True once the stream's one frame is out or refused: what follows is skipped, not decoded. */
    private boolean done;

    FrameDecoder(int maxFrameBytes) {
      super(
          ByteOrder.BIG_ENDIAN,
          maxFrameBytes + LENGTH_BYTES, // the limit counts the prefix too
          0,
          LENGTH_BYTES,
          0,
          LENGTH_BYTES,
          true); // fail fast: reject as soon as the length is read, not after the bytes
    }

    /**
     * The first frame (or the refusal of an oversized one), then nothing: the bytes after it would
     * otherwise be decoded as a second frame. The fuzz suite found a lying second length counted
     * {@code oversized} on a stream that had been served or already refused, and part of a second
     * frame counted {@code malformed}.
     */
    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
      if (done) {
        in.skipBytes(in.readableBytes());
        return null;
      }
      try {
        Object frame = super.decode(ctx, in);
        done = frame != null;
        return frame;
      } catch (TooLongFrameException e) {
        done = true;
        throw e;
      }
    }

    /**
     * Called once the connection is gone. Whatever is left is part of a frame; an oversized frame
     * being discarded leaves nothing (the decoder skips its bytes as they come).
     *
     * @throws CorruptedFrameException when part of a frame is left; it reaches the stream's handler
     *     as an exception, like every other framing error
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
        throws Exception {
      super.decodeLast(ctx, in, out);
      int left = in.readableBytes();
      if (left > 0) {
        in.skipBytes(left);
        throw new CorruptedFrameException("the stream ended " + left + " bytes into a frame");
      }
    }
  }
}
