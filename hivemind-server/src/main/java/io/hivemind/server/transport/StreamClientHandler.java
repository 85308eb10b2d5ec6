package io.hivemind.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opening end of one outbound stream: writes the request frame once connected, reads one
 * response frame, closes. Reports exactly one outcome to the {@link GossipHandler}: the response,
 * or a failure for anything else (connect error, timeout, early close, bad frame). Runs on the
 * transport's event loop.
 */
final class StreamClientHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(StreamClientHandler.class);

  private final long streamId;
  private final byte[] request;
  private final Envelope envelope;
  private final GossipHandler handler;
  private final TransportStats stats;
  private boolean done;

  StreamClientHandler(
      long streamId,
      byte[] request,
      Envelope envelope,
      GossipHandler handler,
      TransportStats stats) {
    this.streamId = streamId;
    this.request = request;
    this.envelope = envelope;
    this.handler = handler;
    this.stats = stats;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(Unpooled.wrappedBuffer(envelope.seal(FrameKind.STREAM_REQUEST, request)))
        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (done) {
        return;
      }
      byte[] response =
          envelope.open(
              FrameKind.STREAM_RESPONSE,
              ByteBufUtil.getBytes((ByteBuf) msg),
              ctx.channel().remoteAddress());
      if (response == null) {
        fail("unauthenticated response", null);
      } else {
        done = true;
        handler.onStreamResponse(streamId, response);
      }
    } finally {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail("closed before a response", null);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    StreamFraming.countFramingError(cause, stats);
    fail("stream error", cause);
    ctx.close();
  }

  /** Reports the failure unless an outcome was already reported. Idempotent. */
  void fail(String why, Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    stats.streamFailures.increment();
    log.debug("stream {} failed: {} ({})", streamId, why, cause == null ? "" : cause.toString());
    handler.onStreamFailure(streamId);
  }
}
