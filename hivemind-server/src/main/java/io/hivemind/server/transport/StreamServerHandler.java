package io.hivemind.server.transport;

import io.hivemind.server.logging.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answering end of one inbound stream: reads one request frame, hands it to the {@link
 * GossipHandler} and writes its response, then closes. Runs on the transport's event loop.
 */
final class StreamServerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(StreamServerHandler.class);

  /** Refusals come once per connection of a flood: one line an interval, with the count. */
  private static final RateLimitedLog rateLimited = new RateLimitedLog(log);

  private final Envelope envelope;
  private final GossipHandler handler;
  private final TransportStats stats;
  private final InboundLimit limit;
  private boolean counted;
  private boolean answered;

  StreamServerHandler(
      Envelope envelope, GossipHandler handler, TransportStats stats, InboundLimit limit) {
    this.envelope = envelope;
    this.handler = handler;
    this.stats = stats;
    this.limit = limit;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (!limit.tryAcquire()) {
      stats.streamsRejected.increment();
      rateLimited.warn(
          ctx.executor().ticker().nanoTime(),
          "streams-rejected",
          "refused an inbound gossip stream from {}: its limit of {} open streams is reached",
          ctx.channel().remoteAddress(),
          limit.max());
      ctx.close();
      return;
    }
    counted = true;
    stats.streamsAccepted.increment();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (counted) {
      counted = false;
      limit.release();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (answered) {
        return; // One request per stream; anything after it is ignored until we close.
      }
      answered = true;
      ctx.channel().config().setAutoRead(false);
      byte[] request =
          envelope.open(
              FrameKind.STREAM_REQUEST,
              ByteBufUtil.getBytes((ByteBuf) msg),
              ctx.channel().remoteAddress());
      byte[] response =
          request == null
              ? null
              : handler.onStreamRequest(
                  NetAddresses.toAddress(ctx.channel().remoteAddress()), request);
      if (response == null) {
        ctx.close();
        return;
      }
      ctx.writeAndFlush(Unpooled.wrappedBuffer(envelope.seal(FrameKind.STREAM_RESPONSE, response)))
          .addListener(ChannelFutureListener.CLOSE);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (StreamFraming.countFramingError(cause, stats)) {
      log.debug("bad stream frame from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
    } else if (cause instanceof ReadTimeoutException) {
      log.debug("inbound stream from {} timed out", ctx.channel().remoteAddress());
    } else {
      log.debug("inbound stream from {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
