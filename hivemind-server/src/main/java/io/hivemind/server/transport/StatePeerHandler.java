package io.hivemind.server.transport;

import io.hivemind.server.logging.RateLimitedLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialling end of one partitioned-state connection (its link writes this node's {@link
 * StateHello} first): checks the peer's answer (same cluster and environment, and the member it
 * meant to reach), and tells its {@link StateTransport} once when the connection ends. The peer
 * sends nothing after its hello: messages flow on the connection each side dials. Runs on the
 * connection's event loop; one instance per connection.
 */
final class StatePeerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger logger = LoggerFactory.getLogger(StatePeerHandler.class);
  private static final RateLimitedLog log = new RateLimitedLog(logger);

  private final StateLocal local;
  private final String peerId;
  private final StateTransportStats stats;
  private final Runnable onGreeted;
  private final Runnable onClosed;
  private boolean greeted;
  private boolean told;

  StatePeerHandler(
      StateLocal local,
      String peerId,
      StateTransportStats stats,
      Runnable onGreeted,
      Runnable onClosed) {
    this.local = local;
    this.peerId = peerId;
    this.stats = stats;
    this.onGreeted = onGreeted;
    this.onClosed = onClosed;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // The hello is written by the connection's link, first of everything (see StateTransport).
    stats.connected.increment();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    StateFrames.Inbound frame;
    try {
      frame = StateFrames.decode((io.netty.buffer.ByteBuf) msg);
    } catch (StateFrameException e) {
      close(ctx, stats.malformed::increment, e.getMessage());
      return;
    } finally {
      ReferenceCountUtil.release(msg);
    }
    if (greeted || !(frame instanceof StateFrames.HelloFrame hello)) {
      close(ctx, stats.malformed::increment, "a frame other than the one hello");
      return;
    }
    String mismatch = local.mismatch(hello.hello());
    if (mismatch != null) {
      close(ctx, stats.wrongCluster::increment, mismatch);
    } else if (!hello.hello().memberId().equals(peerId)) {
      close(
          ctx,
          stats.wrongPeer::increment,
          "member " + hello.hello().memberId() + " answered, not " + peerId);
    } else {
      greeted = true;
      onGreeted.run();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    close(ctx, () -> {}, cause.toString());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    tell();
    ctx.fireChannelInactive();
  }

  /** The connect failed, so the channel never became active. */
  void connectFailed() {
    tell();
  }

  private void close(ChannelHandlerContext ctx, Runnable count, String why) {
    count.run();
    log.warn(
        ctx.executor().ticker().nanoTime(),
        peerId,
        "closed the partitioned-state connection to {} at {}: {}",
        peerId,
        ctx.channel().remoteAddress(),
        why);
    ctx.close();
  }

  private void tell() {
    if (!told) {
      told = true;
      stats.connectFailures.increment();
      onClosed.run();
    }
  }
}
