package io.hivemind.server.transport;

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
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP listener for clients' long-lived connections, on an event-loop group of its own: what the
 * catalogue sessions port and the state client port share. Failed accepts pause the listener
 * ({@link AcceptBackoff}); {@link #close} closes every client's connection at once, so clients see
 * their agent go and fail over rather than wait for a timeout.
 */
final class ClientListener implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClientListener.class);

  private final EventLoopGroup group;
  private final LongAdder acceptErrors = new LongAdder();
  private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private Channel listener;

  private final boolean ownsGroup;

  private ClientListener(EventLoopGroup group, boolean ownsGroup) {
    this.group = group;
    this.ownsGroup = ownsGroup;
  }

  /**
   * Listens on {@code host:port} (0: a port the system picks); each accepted connection's pipeline
   * is built by {@code pipeline}. Blocks until bound.
   *
   * @param what the port's name, for logs and the bind failure ("catalogue sessions")
   * @param threads the group's event loops, named {@code threadPrefix-*}
   * @throws GossipBindException if the port cannot be bound (the message names it)
   */
  static ClientListener bind(
      String what,
      String host,
      int port,
      int threads,
      String threadPrefix,
      Consumer<SocketChannel> pipeline) {
    return bind(
        what, host, port, GossipTransport.newEventLoopGroup(threads, threadPrefix), true, pipeline);
  }

  /** As {@link #bind}, on {@code loop} (shared: not shut down on close). */
  static ClientListener bindOn(
      String what, String host, int port, EventLoopGroup loop, Consumer<SocketChannel> pipeline) {
    return bind(what, host, port, loop, false, pipeline);
  }

  private static ClientListener bind(
      String what,
      String host,
      int port,
      EventLoopGroup group,
      boolean ownsGroup,
      Consumer<SocketChannel> pipeline) {
    ClientListener listener = new ClientListener(group, ownsGroup);
    try {
      listener.listen(what, host, port, pipeline);
    } catch (RuntimeException e) {
      if (ownsGroup) {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      }
      throw e;
    }
    return listener;
  }

  private void listen(String what, String host, int port, Consumer<SocketChannel> pipeline) {
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .handler(new AcceptBackoff(what, acceptErrors::increment))
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    clients.add(channel);
                    pipeline.accept(channel);
                  }
                })
            .bind(host, port)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new GossipBindException(
          "cannot bind the "
              + what
              + " port on "
              + host
              + ":"
              + port
              + ": "
              + bound.cause().getMessage(),
          bound.cause());
    }
    listener = bound.channel();
    log.info("{} listening on {}:{}", what, host, port());
  }

  /** The bound port. */
  int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Accepts that failed (the listener paused). */
  long acceptErrors() {
    return acceptErrors.sum();
  }

  @Override
  public void close() {
    if (listener != null) {
      listener.close().awaitUninterruptibly();
    }
    clients.close().awaitUninterruptibly();
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }
}
