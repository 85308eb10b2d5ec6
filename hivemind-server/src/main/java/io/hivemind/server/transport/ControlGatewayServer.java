package io.hivemind.server.transport;

import io.hivemind.core.control.GatewayMessage;
import io.hivemind.server.acl.AclTokenResolver;
import io.hivemind.server.catalog.CatalogLinks;
import io.hivemind.server.control.CommittedLog;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.ControlStatus;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control node's gateway (docs/protocol/control.md, "Follow feed"): plain agents connect here to
 * follow the committed log and to submit commands, so that only control nodes speak Raft. Designed
 * for ~1,000 agents on 3 control nodes: each entry is encoded once and its buffer shared by every
 * follower's channel ({@link EncodedFeed}), heartbeats likewise; a follower that stops reading is
 * cut off rather than queued for ({@link GatewayServerHandler}), and catches up when it reconnects.
 *
 * <p>Threads: its own event-loop group ({@code hivemind-gateway-*}); the log's feed writes from the
 * applying thread. Lifecycle: {@link #bind} returns it listening; {@link #close} is final and
 * closes every follower's connection (they fail over to another control node).
 */
public final class ControlGatewayServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControlGatewayServer.class);

  /** Accepting and a few hundred mostly idle connections need little: one loop does both. */
  private static final int LOOP_THREADS = 1;

  private static final long CLOSE_WAIT_SECONDS = 5;

  private final GatewayServerConfig config;
  private final CommittedLog committed;
  private final SslContext tls;
  private final CatalogLinks catalog;
  private final AclTokenResolver acl;
  private final EventLoopGroup group;
  private final GatewayServerStats stats = new GatewayServerStats();
  private final EncodedFeed feed;
  private final FollowerChannels followers;
  private Channel listener;
  private ScheduledFuture<?> heartbeats;

  private ControlGatewayServer(
      GatewayServerConfig config,
      CommittedLog committed,
      SslContext tls,
      CatalogLinks catalog,
      AclTokenResolver acl,
      EventLoopGroup group) {
    this.config = config;
    this.committed = committed;
    this.tls = tls;
    this.catalog = catalog;
    this.acl = acl;
    this.group = group;
    this.feed = new EncodedFeed(config.retainedEncodedEntries());
    this.followers = new FollowerChannels(config.maxConnections(), group.next());
  }

  /**
   * Listens on {@code config}'s address and starts the heartbeats. Blocks until bound.
   *
   * @param tls the server's TLS context (mutual TLS from the cluster CA), or null for plaintext
   * @throws GossipBindException if the port cannot be bound
   */
  public static ControlGatewayServer bind(
      GatewayServerConfig config, CommittedLog committed, SslContext tls) {
    return bind(config, committed, tls, null);
  }

  /**
   * As {@link #bind(GatewayServerConfig, CommittedLog, SslContext)}, also carrying the catalogue's
   * replication: followers' and other control nodes' catalogue links go to {@code catalog}
   * (docs/protocol/catalogue.md).
   *
   * @param catalog the node's catalogue replication, or null when it has none
   */
  public static ControlGatewayServer bind(
      GatewayServerConfig config, CommittedLog committed, SslContext tls, CatalogLinks catalog) {
    return bind(config, committed, tls, catalog, null);
  }

  /**
   * As {@link #bind(GatewayServerConfig, CommittedLog, SslContext, CatalogLinks)}, also checking
   * followers' KV, ACL and event commands against the ACL token of the request each was made for
   * ({@code CommandAccess}, docs/acl.md).
   *
   * @param acl the node's ACL settings, or null when it enforces none; used on the gateway's one
   *     loop only (a resolver is not thread-safe)
   */
  public static ControlGatewayServer bind(
      GatewayServerConfig config,
      CommittedLog committed,
      SslContext tls,
      CatalogLinks catalog,
      AclTokenResolver acl) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(committed, "committed");
    if (tls != null && !tls.isServer()) {
      throw new IllegalArgumentException("the gateway needs a server TLS context");
    }
    EventLoopGroup group = GossipTransport.newEventLoopGroup(LOOP_THREADS, "hivemind-gateway");
    ControlGatewayServer server =
        new ControlGatewayServer(config, committed, tls, catalog, acl, group);
    try {
      server.listen();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
    return server;
  }

  private void listen() {
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 1_024) // a thousand agents reconnect at once
            .handler(new AcceptBackoff("control gateway", stats.acceptErrors::increment))
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(
                    config.writeBufferHighBytes() / 2, config.writeBufferHighBytes()))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    if (tls != null) {
                      channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
                    }
                    GatewayFrames.installDecoder(channel.pipeline(), config.maxInboundFrameBytes());
                    channel
                        .pipeline()
                        .addLast(
                            new GatewayServerHandler(
                                config, committed, feed, stats, followers, catalog, acl));
                  }
                })
            .bind(config.bindHost(), config.bindPort())
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new GossipBindException(
          "cannot bind the control gateway on "
              + config.bindHost()
              + ":"
              + config.bindPort()
              + ": "
              + bound.cause().getMessage(),
          bound.cause());
    }
    listener = bound.channel();
    long every = config.heartbeatInterval().toMillis();
    heartbeats =
        group.next().scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    log.info(
        "control gateway listening on {}:{}{}",
        config.bindHost(),
        port(),
        tls == null ? " (no TLS)" : " (TLS)");
  }

  /** One heartbeat, encoded once, to every follower. */
  private void heartbeat() {
    try {
      followers.writeToAll(GatewayFrames.encode(heartbeat(committed.plane())));
    } catch (RuntimeException e) {
      log.warn("could not send the followers' heartbeat", e); // next interval tries again
    }
  }

  /** What followers hear of the Raft group from {@code plane}. */
  static GatewayMessage.Heartbeat heartbeat(ControlPlane plane) {
    ControlStatus status = plane.status();
    return new GatewayMessage.Heartbeat(
        status.commitIndex(),
        status.degraded() ? "" : status.leaderAddress(),
        status.term(),
        status.peers().stream()
            .map(p -> new GatewayMessage.Peer(p.id(), p.address(), p.voter(), p.leader()))
            .toList());
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  public GatewayServerStats stats() {
    return stats;
  }

  /** Connections open now. */
  public int connections() {
    return followers.open();
  }

  /** Connections following the feed now. */
  public int following() {
    return followers.following();
  }

  /** Entry and snapshot frames encoded so far (about one per entry, however many followers). */
  public long framesEncoded() {
    return feed.encoded();
  }

  @Override
  public void close() {
    if (heartbeats != null) {
      heartbeats.cancel(false);
    }
    if (listener != null) {
      listener.close().awaitUninterruptibly();
    }
    followers.closeAll();
    if (!group
        .shutdownGracefully(0, 0, TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
      log.warn("control gateway loops still running after {} s", CLOSE_WAIT_SECONDS);
    }
    feed.close();
  }
}
