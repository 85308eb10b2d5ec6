package io.hivemind.server.transport;

import io.hivemind.server.logging.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandler;
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
  private final StateTransport.MemberHosts memberHosts;
  private String peerId;

  /**
   * @param memberHosts the host the control plane admitted each member at, checked against the
   *     peer's certificate when the connection has TLS; null for no check
   */
  StateServerHandler(
      StateLocal local,
      StateTransportStats stats,
      StateTransport.Listener listener,
      StateTransport.MemberHosts memberHosts) {
    this.local = local;
    this.stats = stats;
    this.listener = listener;
    this.memberHosts = memberHosts;
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
    String impostor = identityMismatch(ctx, hello.hello().memberId());
    if (impostor != null) {
      refuse(ctx, stats.wrongIdentity::increment, "identity", impostor);
      return;
    }
    peerId = hello.hello().memberId();
    ctx.writeAndFlush(StateFrames.hello(local.hello()), ctx.voidPromise());
  }

  /**
   * With TLS, why the peer's certificate cannot speak for member {@code id}, or null when it can:
   * the certificate must name the host the control plane admitted that member at. Without TLS, or
   * without a registry to check against, nothing is checked (plaintext proves nothing anyway).
   */
  private String identityMismatch(ChannelHandlerContext ctx, String id) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null || memberHosts == null) {
      return null;
    }
    java.util.Optional<String> host = memberHosts.hostOf(id);
    if (host.isEmpty()) {
      return "member " + id + " is not admitted in this node's view of the control plane";
    }
    try {
      java.security.cert.Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      if (chain.length > 0
          && chain[0] instanceof java.security.cert.X509Certificate leaf
          && PeerCertificates.names(leaf, host.get())) {
        return null;
      }
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return "the peer presented no certificate";
    }
    return "the peer's certificate does not name " + host.get() + ", the host of member " + id;
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
