package io.hivemind.server.http;

import io.hivemind.server.logging.RateLimitedLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cap on connections the API serves at once ({@link HttpApiConfig.ConnectionLimits}). A
 * connection over it gets a short 503 {@code too_many_connections} (with {@code Retry-After}) and
 * is closed at once, before anything of it is read and before a codec is made for it: it holds its
 * descriptor for one write. Why answer rather than only close: the answer costs one write of about
 * 200 bytes into the empty send buffer of a new socket (it cannot block), and it tells a careless
 * client (a script in a loop, more common than a hostile one) what happened and when to come back.
 *
 * <p>Owning thread: the API's single event loop, which accepts and serves every connection; the
 * count is an atomic only so that a scrape can read it.
 */
final class ConnectionCap {

  private static final Logger logger = LoggerFactory.getLogger(ConnectionCap.class);
  private static final RateLimitedLog log = new RateLimitedLog(logger);

  private final int max;
  private final HttpApiStats stats;
  private final Refusal refusal;
  private final ChannelFutureListener release;

  ConnectionCap(int max, HttpApiStats stats) {
    this.max = max;
    this.stats = stats;
    this.refusal =
        new Refusal(
            ClosingAnswers.encode(
                503,
                "Service Unavailable",
                "Retry-After: 1\r\n",
                "too_many_connections",
                "the agent serves at most "
                    + max
                    + " HTTP connections at once; try again shortly"));
    this.release = closed -> stats.connectionsOpen.decrementAndGet();
  }

  /**
   * Counts {@code channel} as open until it closes and returns true; or, at the cap, makes it a
   * connection that is answered 503 and closed, and returns false (install nothing else on it).
   */
  boolean admit(Channel channel) {
    if (stats.connectionsOpen.get() >= max) {
      stats.connectionsRejected.increment();
      channel.config().setAutoRead(false);
      channel.pipeline().addLast(refusal);
      return false;
    }
    stats.connectionsOpen.incrementAndGet();
    stats.connectionsAccepted.increment();
    channel.closeFuture().addListener(release);
    return true;
  }

  /** The whole pipeline of a refused connection. Shared: it keeps no state. */
  @ChannelHandler.Sharable
  private final class Refusal extends ChannelInboundHandlerAdapter {

    private final byte[] answer;

    Refusal(byte[] answer) {
      this.answer = answer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      log.warn(
          ctx.executor().ticker().nanoTime(),
          "cap",
          "HTTP API refused a connection from {}: its cap of {} open connections is reached"
              + " (all refusals: hivemind_http_connections_rejected_total)",
          ctx.channel().remoteAddress(),
          max);
      ClosingAnswers.writeAndClose(ctx, answer);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
