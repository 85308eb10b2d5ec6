package io.hivemind.server.http;

import io.hivemind.server.catalog.Catalogue;
import io.hivemind.server.transport.AcceptBackoff;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API: {@code /v1/agent/members}, {@code self}, {@code join}, {@code leave} and
 * {@code metrics}, and the control plane's {@code /v1/status}, {@code /v1/operator/raft}, {@code
 * /v1/catalog/nodes}, {@code /v1/kv} and {@code /v1/event} endpoints, and Consul's service
 * catalogue ({@code /v1/agent/service*}, {@code /v1/agent/check*}, {@code /v1/catalog/service*},
 * {@code /v1/health/*}) over the agent's {@code Catalogue}, on Netty's HTTP/1.1 codec
 * (docs/adr/0002-http-server-netty.md).
 *
 * <p>Owning thread: one event loop ({@code hivemind-http-*}) accepts connections and runs every
 * handler. Handlers read the agent's published snapshots and take no locks; join and leave answer
 * when their futures complete. The pipeline of each connection and the route table are {@link
 * ApiChannelInitializer}'s; this class binds the port and runs the lifecycle.
 *
 * <p>Under load: at most {@code maxConnections} connections are served at once (more get 503), a
 * request must arrive within its deadlines (else 408), and a failed accept (the process out of file
 * descriptors) pauses accepting for a second with one log line per interval ({@link
 * AcceptBackoff}). Counted in {@link HttpApiStats}.
 *
 * <p>Lifecycle: {@link #start} returns a RUNNING API bound to its port, or throws; {@link #close}
 * stops accepting, closes connections and stops the thread (CLOSED); closing twice is harmless.
 */
public final class HttpApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  /** Close waits this long for in-flight answers before the thread goes regardless. */
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  /**
   * File descriptors the rest of an agent may need besides the API's connections: gossip's 256
   * inbound streams, its outbound ones (a few at once), and the JVM's own (jars, event-loop
   * selectors, logs: about 50 in an idle agent), with room to spare. Only used to warn at start
   * when the process's limit is too low for the API's cap (docs/adr/0002, "Addendum").
   */
  static final int DESCRIPTORS_FOR_THE_REST = 512;

  private final EventLoopGroup group;
  private final Channel server;
  private final String host;
  private final HttpApiStats stats;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HttpApi(EventLoopGroup group, Channel server, String host, HttpApiStats stats) {
    this.group = group;
    this.server = server;
    this.host = host;
    this.stats = stats;
  }

  /**
   * Binds {@code config.host():config.port()} and serves until {@link #close}, counting into stats
   * of its own ({@link #stats}).
   *
   * @throws IOException when the address cannot be bound; the message names it and the reason
   */
  public static HttpApi start(HttpApiConfig config, AgentOperations agent) throws IOException {
    return start(config, agent, new HttpApiStats());
  }

  /**
   * Binds {@code config.host():config.port()} and serves until {@link #close}, counting into {@code
   * stats} (made by the caller, so that its metrics can be bound before the API serves).
   *
   * @throws IOException when the address cannot be bound; the message names it and the reason
   */
  public static HttpApi start(HttpApiConfig config, AgentOperations agent, HttpApiStats stats)
      throws IOException {
    return start(config, agent, NoCatalogue.INSTANCE, stats);
  }

  /**
   * Binds {@code config.host():config.port()} and serves the agent's endpoints and Consul's
   * catalogue endpoints over {@code catalogue} until {@link #close}, counting into {@code stats}.
   *
   * @throws IOException when the address cannot be bound; the message names it and the reason
   */
  public static HttpApi start(
      HttpApiConfig config, AgentOperations agent, Catalogue catalogue, HttpApiStats stats)
      throws IOException {
    return start(config, agent, catalogue, stats, AclConfig.DISABLED);
  }

  /**
   * Binds {@code config.host():config.port()} and serves as above, every request checked against
   * {@code acl} (docs/acl.md).
   *
   * @throws IOException when the address cannot be bound; the message names it and the reason
   */
  public static HttpApi start(
      HttpApiConfig config,
      AgentOperations agent,
      Catalogue catalogue,
      HttpApiStats stats,
      AclConfig acl)
      throws IOException {
    warnIfDescriptorsAreShort(config.limits().maxConnections());
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("hivemind-http", true), NioIoHandler.newFactory());
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            // Out of descriptors: pause accepting and log once an interval, not a stack trace a
            // second.
            .handler(new AcceptBackoff("HTTP API", stats.acceptErrors::increment))
            .childHandler(new ApiChannelInitializer(config, agent, catalogue, stats, acl))
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
    HttpApi api = new HttpApi(group, bound.channel(), config.host(), stats);
    LOG.info(
        "HTTP API listening on {}:{} (at most {} connections, ACLs {})",
        config.host(),
        api.port(),
        config.limits().maxConnections(),
        acl.enabled() ? "enabled, default policy " + acl.defaultPolicy().configName() : "disabled");
    return api;
  }

  /**
   * Warns when the process may open too few files for the API's cap and the rest of the agent: the
   * cap then no longer keeps a flood of connections from starving gossip of descriptors.
   */
  private static void warnIfDescriptorsAreShort(int maxConnections) {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long limit = unix.getMaxFileDescriptorCount();
      if (limit < (long) maxConnections + DESCRIPTORS_FOR_THE_REST) {
        LOG.warn(
            "the process may open {} files, but the HTTP API serves up to {} connections and the"
                + " rest of the agent needs about {}: raise the limit (ulimit -n) or a flood of"
                + " connections may leave gossip without descriptors",
            limit,
            maxConnections,
            DESCRIPTORS_FOR_THE_REST);
      }
    }
  }

  /** The API's connection counters; read from any thread. */
  public HttpApiStats stats() {
    return stats;
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
