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
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answering end of one inbound stream: reads one request frame, hands it to the {@link
 * GossipHandler} and writes its response, then closes. Runs on the transport's event loop.
 *
 * <p>The whole request must arrive within {@link TransportConfig#requestDeadline()} of the
 * connection opening. The read timeout alone restarts with every byte, so a peer trickling one byte
 * a few seconds apart could hold one of the few inbound stream slots indefinitely (slowloris); 256
 * such peers would lock every joiner out.
 */
final class StreamServerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(StreamServerHandler.class);

  /** Refusals come once per connection of a flood: one line an interval, with the count. */
  private static final RateLimitedLog rateLimited = new RateLimitedLog(log);

  private final Envelope envelope;
  private final GossipHandler handler;
  private final TransportStats stats;
  private final InboundLimit limit;
  private final long requestDeadlineNanos;
  private ScheduledFuture<?> deadline;
  private boolean counted;
  private boolean answered;

  StreamServerHandler(
      Envelope envelope,
      GossipHandler handler,
      TransportStats stats,
      InboundLimit limit,
      Duration requestDeadline) {
    this.envelope = envelope;
    this.handler = handler;
    this.stats = stats;
    this.limit = limit;
    this.requestDeadlineNanos = requestDeadline.toNanos();
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
    deadline =
        ctx.executor()
            .schedule(() -> requestTooSlow(ctx), requestDeadlineNanos, TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  /**
   * Closes a stream whose request is still incomplete; the framing counts the partial frame as
   * malformed when the channel goes inactive.
   */
  private void requestTooSlow(ChannelHandlerContext ctx) {
    if (!answered) {
      log.debug(
          "inbound stream from {} missed its request deadline", ctx.channel().remoteAddress());
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelDeadline();
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
      cancelDeadline();
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

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
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
