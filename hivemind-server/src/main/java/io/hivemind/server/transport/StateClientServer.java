package io.hivemind.server.transport;

import io.hivemind.core.state.WireStateClientCodec;
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
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state client port (docs/protocol/state-client.md; {@code WellKnownPorts.stateClient()}):
 * routing clients hold one TCP connection to each agent they send keys to, framed as a 4-byte
 * big-endian length and one {@code StateClientFrame}, and pipeline their requests on it. Each
 * connection is served by a {@link StateClientHandler}; a frame over {@link
 * WireStateClientCodec#MAX_FRAME_BYTES}, or a connection that says no hello within {@link
 * #HELLO_TIMEOUT_MILLIS}, is closed, and so is the connection beyond {@link #MAX_CONNECTIONS}
 * (refused TOO_MANY_CONNECTIONS).
 *
 * <p>Threads: its own event-loop group ({@code hivemind-state-clients-*}). Lifecycle: {@link #bind}
 * returns it listening; {@link #close} is final and closes every client's connection.
 */
public final class StateClientServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StateClientServer.class);

  /**
   * Two loops: a routing client holds one busy connection per agent, and a host of several such
   * clients keeps both cores of a small machine busy; decoding and encoding are all they do.
   */
  private static final int LOOP_THREADS = 2;

  /** Connections one agent serves: each costs buffers and a bounded in-flight set. */
  public static final int MAX_CONNECTIONS = 4096;

  /** A client says hello as soon as it connects; a silent connection is a leak or a probe. */
  public static final long HELLO_TIMEOUT_MILLIS = 10_000;

  private final EventLoopGroup group;
  private final StateClientStats stats = new StateClientStats();
  private final LongAdder acceptErrors = new LongAdder();
  // Every client connection, so close() ends each at once: clients fail over immediately.
  private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private Channel listener;

  private StateClientServer(EventLoopGroup group) {
    this.group = group;
  }

  /**
   * Listens on {@code host:port} (0: a port the system picks) for {@code context}'s clients. Blocks
   * until bound.
   *
   * @throws GossipBindException if the port cannot be bound (the message names it)
   */
  public static StateClientServer bind(String host, int port, StateClientContext context) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(context, "context");
    EventLoopGroup group =
        GossipTransport.newEventLoopGroup(LOOP_THREADS, "hivemind-state-clients");
    StateClientServer server = new StateClientServer(group);
    try {
      server.listen(host, port, context);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
    return server;
  }

  private void listen(String host, int port, StateClientContext context) {
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .handler(new AcceptBackoff("state clients", acceptErrors::increment))
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    clients.add(channel);
                    channel
                        .pipeline()
                        .addLast(
                            StateClientHandler.HELLO_TIMEOUT,
                            new ReadTimeoutHandler(HELLO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
                        .addLast(
                            new LengthFieldBasedFrameDecoder(
                                // the limit counts the 4-byte prefix too
                                WireStateClientCodec.MAX_FRAME_BYTES + 4, 0, 4, 0, 4))
                        .addLast(new StateClientHandler(context, stats, MAX_CONNECTIONS));
                  }
                })
            .bind(host, port)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new GossipBindException(
          "cannot bind the state client port on "
              + host
              + ":"
              + port
              + ": "
              + bound.cause().getMessage(),
          bound.cause());
    }
    listener = bound.channel();
    log.info("state clients listening on {}:{}", host, port());
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** The port's counters. */
  public StateClientStats stats() {
    return stats;
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
