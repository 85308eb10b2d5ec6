package io.hivemind.server.transport;

import io.hivemind.server.logging.RateLimitedLog;
import io.hivemind.server.tls.UntrustedCertificateException;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits after the {@code SslHandler} and counts how each handshake ended; a failure is logged (one
 * line per reason per interval: a peer with the wrong CA retries forever) and the channel closed.
 * Removes itself once the handshake is done, so established connections pay nothing. Shared by
 * every channel of one {@link MutualTls}; runs on each channel's event loop.
 */
@ChannelHandler.Sharable
final class TlsHandshakeWatcher extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(TlsHandshakeWatcher.class);

  private static final RateLimitedLog rateLimited = new RateLimitedLog(log);

  private final TlsStats stats;

  TlsHandshakeWatcher(TlsStats stats) {
    this.stats = stats;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof SslHandshakeCompletionEvent completion) {
      if (completion.isSuccess()) {
        stats.handshakeCompleted();
      } else {
        refused(ctx, completion.cause());
      }
      ctx.pipeline().remove(this);
    }
    super.userEventTriggered(ctx, event);
  }

  private void refused(ChannelHandlerContext ctx, Throwable cause) {
    TlsRefusal reason = TlsRefusal.of(cause);
    stats.handshakeFailed(reason);
    rateLimited.warn(
        ctx.executor().ticker().nanoTime(),
        reason.label(),
        "TLS handshake with {} failed ({}): {}",
        ctx.channel().remoteAddress(),
        reason.label(),
        rootMessage(cause));
    ctx.close();
  }

  /** Our sentence for an untrusted chain (subject and issuer); the JDK's for the rest. */
  private static String rootMessage(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UntrustedCertificateException) {
        return t.getMessage();
      }
    }
    return cause.getMessage() != null ? cause.getMessage() : String.valueOf(cause);
  }
}
