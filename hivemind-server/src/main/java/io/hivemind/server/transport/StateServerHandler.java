package io.hivemind.server.transport;

import io.hivemind.server.logging.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted partitioned-state connection: expects the peer's {@link StateHello} first, answers
 * with this node's, then hands every state message to the transport's listener as coming from the
 * member the hello named. Anything else (a second hello, an undecodable or oversized frame, another
 * cluster or environment) closes the connection, counted and logged at most once per interval. Runs
 * on the connection's event loop; one instance per connection.
 */
final class StateServerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger logger = LoggerFactory.getLogger(StateServerHandler.class);
  private static final RateLimitedLog log = new RateLimitedLog(logger);

  private final StateLocal local;
  private final StateTransportStats stats;
  private final StateTransport.Listener listener;
  private String peerId;

  StateServerHandler(
      StateLocal local, StateTransportStats stats, StateTransport.Listener listener) {
    this.local = local;
    this.stats = stats;
    this.listener = listener;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    stats.accepted.increment();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    StateFrames.Inbound frame;
    int bytes = ((ByteBuf) msg).readableBytes();
    try {
      frame = StateFrames.decode((ByteBuf) msg);
    } catch (StateFrameException e) {
      refuse(ctx, stats.malformed::increment, "malformed", e.getMessage());
      return;
    } finally {
      ReferenceCountUtil.release(msg);
    }
    if (peerId == null) {
      greet(ctx, frame);
    } else if (frame instanceof StateFrames.MessageFrame message) {
      stats.framesIn.increment();
      stats.bytesIn.add(bytes - 1L);
      listener.onMessage(peerId, message.message());
    } else {
      refuse(ctx, stats.malformed::increment, "malformed", "a second hello");
    }
  }

  private void greet(ChannelHandlerContext ctx, StateFrames.Inbound frame) {
    if (!(frame instanceof StateFrames.HelloFrame hello)) {
      refuse(ctx, stats.malformed::increment, "malformed", "a state message before the hello");
      return;
    }
    String mismatch = local.mismatch(hello.hello());
    if (mismatch != null) {
      refuse(ctx, stats.wrongCluster::increment, "cluster", mismatch);
      return;
    }
    peerId = hello.hello().memberId();
    ctx.writeAndFlush(StateFrames.hello(local.hello()), ctx.voidPromise());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      refuse(ctx, stats.oversized::increment, "oversized", cause.getMessage());
    } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
      ctx.close(); // counted and logged by the TLS handshake watcher
    } else {
      refuse(ctx, () -> {}, "error", cause.toString());
    }
  }

  private void refuse(ChannelHandlerContext ctx, Runnable count, String reason, String why) {
    count.run();
    log.warn(
        ctx.executor().ticker().nanoTime(),
        reason,
        "closed a partitioned-state connection from {}: {}",
        ctx.channel().remoteAddress(),
        why);
    ctx.close();
  }
}
