package io.hivemind.server.transport;

import io.hivemind.core.catalog.CatalogDecodeException;
import io.hivemind.core.catalog.SessionMessage;
import io.hivemind.core.catalog.WireSessionCodec;
import io.hivemind.server.catalog.CatalogSessionService;
import io.hivemind.server.catalog.SessionConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the catalogue sessions port: decodes each frame once, at the edge, and
 * hands it to the session service; is the service's {@link SessionConnection} for this channel.
 * Owning thread: the channel's event loop.
 */
final class SessionChannelHandler extends SimpleChannelInboundHandler<ByteBuf> {

  private static final Logger log = LoggerFactory.getLogger(SessionChannelHandler.class);

  private final CatalogSessionService service;
  private ChannelConnection connection;

  SessionChannelHandler(CatalogSessionService service) {
    this.service = service;
  }

  /** The channel as the service sees it; sends are encoded here and written by Netty. */
  private record ChannelConnection(Channel channel) implements SessionConnection {
    @Override
    public void send(SessionMessage message) {
      channel.writeAndFlush(Unpooled.wrappedBuffer(WireSessionCodec.encode(message)));
    }

    @Override
    public void close() {
      if (channel.eventLoop().isShuttingDown()) {
        return; // the listener is closing: its loop closes every channel
      }
      // Flushes what was written first (a refusal's sentence), then closes.
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public String remote() {
      return String.valueOf(channel.remoteAddress());
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    connection = new ChannelConnection(ctx.channel());
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    byte[] bytes = ByteBufUtil.getBytes(frame);
    SessionMessage message;
    try {
      message = WireSessionCodec.decode(bytes);
    } catch (CatalogDecodeException e) {
      long version = WireSessionCodec.versionOf(bytes);
      boolean otherVersion = version >= 0 && version != WireSessionCodec.VERSION;
      service.malformed(connection, otherVersion, e.getMessage());
      return;
    }
    service.received(connection, message);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    service.closed(connection);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof ReadTimeoutException) {
      log.debug("session connection {} silent past its heartbeats: closed", connection.remote());
    } else if (cause instanceof TooLongFrameException) {
      service.malformed(connection, false, cause.getMessage());
    } else if (!(cause instanceof IOException)) {
      log.warn("session connection {} failed: {}", connection.remote(), cause.toString());
    }
    ctx.close();
  }
}
