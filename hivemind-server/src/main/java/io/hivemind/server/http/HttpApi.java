package io.hivemind.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API: {@code /v1/agent/members}, {@code self}, {@code join}, {@code leave} and
 * {@code metrics}, on Netty's HTTP/1.1 codec (docs/adr/0002-http-server-netty.md).
 *
 * <p>Owning thread: one event loop ({@code hivemind-http-*}) accepts connections and runs every
 * handler. Handlers read the agent's published snapshots and take no locks; join and leave answer
 * when their futures complete. The pipeline of each connection and the route table are {@link
 * ApiChannelInitializer}'s; this class binds the port and runs the lifecycle.
 *
 * <p>Lifecycle: {@link #start} returns a RUNNING API bound to its port, or throws; {@link #close}
 * stops accepting, closes connections and stops the thread (CLOSED); closing twice is harmless.
 */
public final class HttpApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  /** Close waits this long for in-flight answers before the thread goes regardless. */
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  private final EventLoopGroup group;
  private final Channel server;
  private final String host;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HttpApi(EventLoopGroup group, Channel server, String host) {
    this.group = group;
    this.server = server;
    this.host = host;
  }

  /**
   * Binds {@code config.host():config.port()} and serves until {@link #close}.
   *
   * @throws IOException when the address cannot be bound; the message names it and the reason
   */
  public static HttpApi start(HttpApiConfig config, AgentOperations agent) throws IOException {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("hivemind-http", true), NioIoHandler.newFactory());
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ApiChannelInitializer(config, agent))
            .bind(new InetSocketAddress(config.host(), config.port()))
            .awaitUninterruptibly();
    String where = config.host() + ":" + config.port();
    if (!bound.isSuccess()) {
      shutDown(group, where);
      Throwable cause = bound.cause();
      throw new IOException(
          "cannot serve the HTTP API on "
              + where
              + ": "
              + (cause.getMessage() == null ? cause.toString() : cause.getMessage()),
          cause);
    }
    HttpApi api = new HttpApi(group, bound.channel(), config.host());
    LOG.info("HTTP API listening on {}:{}", config.host(), api.port());
    return api;
  }

  /** The port the API listens on; the one the OS picked when the configured port was 0. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** {@code http://host:port} of this API. */
  public URI uri() {
    String uriHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return URI.create("http://" + uriHost + ":" + port());
  }

  /** Stops serving: closes the listening socket and open connections, then the thread. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    int port = port();
    server.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    shutDown(group, "port " + port);
    LOG.info("HTTP API on port {} closed", port);
  }

  /** Stops the thread, which closes the connections it still serves; logs, never throws. */
  private static void shutDown(EventLoopGroup group, String what) {
    boolean stopped =
        group
            .shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
    if (!stopped) {
      LOG.warn("the HTTP API's thread on {} did not stop within {} s", what, CLOSE_TIMEOUT_SECONDS);
    }
  }
}
