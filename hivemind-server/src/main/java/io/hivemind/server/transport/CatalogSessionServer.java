package io.hivemind.server.transport;

import io.hivemind.core.catalog.WireSessionCodec;
import io.hivemind.server.catalog.CatalogSessionService;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogue sessions port (docs/protocol/catalogue-sessions.md): clients of this host hold one
 * TCP connection each, framed as a 4-byte big-endian length and one {@code SessionFrame}; each
 * decoded frame goes to the {@link CatalogSessionService}. A frame over {@link
 * WireSessionCodec#MAX_FRAME_BYTES}, or a connection silent for three heartbeats, is closed.
 *
 * <p>Threads: its own event-loop group ({@code hivemind-sessions-*}). Lifecycle: {@link #bind}
 * returns it listening; {@link #close} is final and closes every client's connection.
 */
public final class CatalogSessionServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CatalogSessionServer.class);

  /** A host's clients are few and mostly idle: one loop accepts and serves them all. */
  private static final int LOOP_THREADS = 1;

  private final EventLoopGroup group;
  private final LongAdder acceptErrors = new LongAdder();
  // Every client connection, so close() ends each at once: a client must see its agent go at
  // once (and fail over), not after missing three heartbeats.
  private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private Channel listener;

  private CatalogSessionServer(EventLoopGroup group) {
    this.group = group;
  }

  /**
   * Listens on {@code host:port} for {@code service}'s clients. Blocks until bound.
   *
   * @throws GossipBindException if the port cannot be bound (the message names it)
   */
  public static CatalogSessionServer bind(String host, int port, CatalogSessionService service) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(service, "service");
    EventLoopGroup group = GossipTransport.newEventLoopGroup(LOOP_THREADS, "hivemind-sessions");
    CatalogSessionServer server = new CatalogSessionServer(group);
    try {
      server.listen(host, port, service);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
    return server;
  }

  private void listen(String host, int port, CatalogSessionService service) {
    long idleMillis = service.config().idleTimeout().toMillis();
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .handler(new AcceptBackoff("catalogue sessions", acceptErrors::increment))
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    clients.add(channel);
                    channel
                        .pipeline()
                        .addLast(new ReadTimeoutHandler(idleMillis, TimeUnit.MILLISECONDS))
                        .addLast(
                            new LengthFieldBasedFrameDecoder(
                                WireSessionCodec.MAX_FRAME_BYTES, 0, 4, 0, 4))
                        .addLast(new LengthFieldPrepender(4))
                        .addLast(new SessionChannelHandler(service));
                  }
                })
            .bind(host, port)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new GossipBindException(
          "cannot bind the catalogue sessions port on "
              + host
              + ":"
              + port
              + ": "
              + bound.cause().getMessage(),
          bound.cause());
    }
    listener = bound.channel();
    log.info("catalogue sessions listening on {}:{}", host, port());
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Accepts that failed (the listener paused, as {@link AcceptBackoff} does). */
  public long acceptErrors() {
    return acceptErrors.sum();
  }

  @Override
  public void close() {
    if (listener != null) {
      listener.close().awaitUninterruptibly();
    }
    clients.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
