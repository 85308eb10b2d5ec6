package io.hivemind.server.transport;

import io.hivemind.core.membership.Address;
import io.hivemind.core.state.StateMessage;
import io.hivemind.core.state.WireStateCodec;
import io.hivemind.server.logging.RateLimitedLog;
import io.hivemind.server.loop.DriverLoop;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitioned state's node-to-node transport (docs/protocol/state.md, "Transport"): a listener
 * on the state port that receives, and one dialled connection per peer that sends, so each
 * direction of a pair has its own connection and neither side needs to match requests to
 * connections. Both carry {@link StateFrames}, with mutual TLS when the cluster has TLS; the first
 * frame each way is a {@link StateHello}.
 *
 * <p>Frames are decoded on the transport's loop and handed to the {@link Listener} as messages; a
 * bad frame closes its connection and is counted. A connection that fails or closes is reported
 * once ({@link Listener#onPeerUnreachable}); the next send re-dials after a backoff that doubles
 * from {@link #MIN_BACKOFF_MILLIS} to {@link #MAX_BACKOFF_MILLIS} while attempts keep failing, and
 * messages sent meanwhile are dropped (the protocol's timeouts and retries cover loss). A peer that
 * stops reading is cut off once {@link #MAX_QUEUED_BYTES} wait for it.
 *
 * <p>Thread-safe: {@link #send} may be called from any thread (the state driver's); upcalls come
 * from the transport's own loop.
 */
public final class StateTransport implements AutoCloseable {

  /** What the transport delivers; called on its loop, so implementations hop to their own. */
  public interface Listener {

    /** A message from the member {@code fromId} (the id its hello named). */
    void onMessage(String fromId, StateMessage message);

    /** The connection to {@code peerId} failed or closed: what was in flight on it is lost. */
    void onPeerUnreachable(String peerId);
  }

  /** First re-dial delay after a failure: a restarting peer is back within a few of these. */
  static final long MIN_BACKOFF_MILLIS = 100;

  /** Longest re-dial delay: a peer that is back is found within this. */
  static final long MAX_BACKOFF_MILLIS = 5_000;

  /**
   * Bytes queued towards a peer before it counts as not reading and is cut off: a few snapshot
   * chunks' worth, far above what a reading peer ever lets queue.
   */
  static final long MAX_QUEUED_BYTES = 32L << 20;

  /** Peers are on the same network; a connect taking longer is a failure. */
  static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  private static final Logger logger = LoggerFactory.getLogger(StateTransport.class);
  private static final RateLimitedLog log = new RateLimitedLog(logger);
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final StateLocal local;
  private final MutualTls tls;
  private final Listener listener;
  private final EventLoopGroup group;
  private final StateTransportStats stats = new StateTransportStats();
  private final Map<String, Link> links = new ConcurrentHashMap<>();
  private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();
  private Channel server;

  /** Where the control plane admitted each member: the host a peer's certificate must name. */
  @FunctionalInterface
  public interface MemberHosts {
    /** The host member {@code memberId} was admitted at, or empty when it is not admitted. */
    Optional<String> hostOf(String memberId);
  }

  private volatile MemberHosts memberHosts;

  /**
   * From now on, with TLS, an accepted peer's certificate must name the host the control plane
   * admitted the member its hello claims at (docs/protocol/state.md, "Hello"); call it before peers
   * connect. Without TLS it changes nothing.
   */
  public void verifyPeers(MemberHosts hosts) {
    this.memberHosts = Objects.requireNonNull(hosts, "hosts");
  }

  /** Whether {@link #group} is this transport's own, shut down on close, or a shared loop. */
  private final boolean ownsGroup;

  private StateTransport(
      StateLocal local, MutualTls tls, Listener listener, EventLoopGroup group, boolean ownsGroup) {
    this.local = local;
    this.tls = tls;
    this.listener = listener;
    this.group = group;
    this.ownsGroup = ownsGroup;
  }

  /**
   * Listens on {@code bind} (port 0: one the system picks). Blocks until bound.
   *
   * @param selfId this node's current member id, read at each hello
   * @param tls the cluster's mutual TLS, or null for plaintext
   * @throws GossipBindException if the port cannot be bound (the message names it)
   */
  // Justification: who this node is (three values) and its three collaborators.
  public static StateTransport bind(
      Address bind,
      String cluster,
      String environment,
      Supplier<String> selfId,
      MutualTls tls,
      Listener listener) {
    return bind(bind, cluster, environment, selfId, tls, listener, null);
  }

  /**
   * As {@link #bind(Address, String, String, Supplier, MutualTls, Listener)}, with every channel on
   * {@code loop} when it is one of {@link GossipLoops}' (the store's driver loop): a peer's message
   * then reaches the store, and the store's sends reach their channel, on one thread, without a
   * wake-up of another (on a 2-core machine those cross-thread hand-offs were about 40 % of an
   * agent's CPU under load; docs/benchmarks.md). Null or another loop: a loop of its own.
   */
  public static StateTransport bind(
      Address bind,
      String cluster,
      String environment,
      Supplier<String> selfId,
      MutualTls tls,
      Listener listener,
      DriverLoop loop) {
    Objects.requireNonNull(bind, "bind");
    StateLocal local = new StateLocal(cluster, environment, Objects.requireNonNull(selfId));
    boolean shared = loop instanceof NettyDriverLoop;
    EventLoopGroup group =
        shared
            ? ((NettyDriverLoop) loop).eventLoop()
            : GossipTransport.newEventLoopGroup(1, "hivemind-state-net");
    StateTransport transport =
        new StateTransport(
            local, tls, Objects.requireNonNull(listener, "listener"), group, !shared);
    try {
      transport.listen(bind);
    } catch (RuntimeException e) {
      if (!shared) {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      }
      throw e;
    }
    return transport;
  }

  private void listen(Address bind) {
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 1_024)
            .handler(new AcceptBackoff("partitioned state", stats.acceptErrors::increment))
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    if (tls != null) {
                      tls.secureServerChannel(channel.pipeline());
                    }
                    StateFrames.installDecoder(channel.pipeline());
                    channel
                        .pipeline()
                        .addLast(new StateServerHandler(local, stats, listener, memberHosts));
                  }
                })
            .bind(bind.host(), bind.port())
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new GossipBindException(
          "cannot bind the partitioned state port on " + bind + ": " + bound.cause().getMessage(),
          bound.cause());
    }
    server = bound.channel();
    logger.info(
        "partitioned state listening on {}:{}{}",
        bind.host(),
        port(),
        tls == null ? " (no TLS)" : " (TLS)");
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public StateTransportStats stats() {
    return stats;
  }

  /**
   * Sends {@code message} to the member {@code peerId}, which listens at {@code address}: on the
   * open connection, or on one dialled now (a changed address re-dials). Best effort: dropped while
   * the peer's backoff runs, and lost if the connection fails (then reported).
   */
  public void send(String peerId, Address address, StateMessage message) {
    ByteBuf frame;
    try {
      byte[] encoded = WireStateCodec.encode(message);
      frame = StateFrames.message(encoded);
      stats.bytesOut.add(encoded.length);
    } catch (IllegalArgumentException e) {
      stats.droppedTooLarge.increment();
      log.warn(System.nanoTime(), "too-large", "state message to {} dropped: {}", peerId, e);
      return;
    }
    Link link = link(peerId, address);
    if (link == null) {
      frame.release();
      stats.droppedBackoff.increment();
      return;
    }
    stats.framesOut.increment();
    link.write(frame);
  }

  /** The open link to {@code peerId} at {@code address}, a new one, or null during backoff. */
  private Link link(String peerId, Address address) {
    String self = local.memberId().get();
    Link current = links.get(peerId);
    if (current != null && current.address.equals(address) && Objects.equals(current.self, self)) {
      return current;
    }
    if (current != null) {
      // The peer moved (its old address is of no use), or this node's member id was renewed: the
      // peer reads the sender of every frame on a connection from its hello, so a connection
      // greeted with the old id would hand this node's acks to a member the cluster removed.
      // Forgotten first, so its close (on the event loop, perhaps before the dial below) neither
      // removes its successor nor backs the peer off.
      links.remove(peerId, current);
      current.channel().close();
    }
    Backoff backoff = backoffs.get(peerId);
    if (backoff != null && System.nanoTime() < backoff.retryAtNanos) {
      return null;
    }
    Link dialled = dial(peerId, address, self);
    Link raced = links.putIfAbsent(peerId, dialled);
    if (raced != null) {
      dialled.channel().close();
      return raced;
    }
    if (dialled.connecting.isDone() && !dialled.channel().isOpen()) {
      // The connect failed (a closed port refuses at once) before the link was in the map, so its
      // close found nothing to forget: forget it now, or it would stand there dead for good. The
      // frame in hand goes to it and is dropped, like any written as a connect fails.
      closed(peerId, dialled);
    }
    return dialled;
  }

  private Link dial(String peerId, Address address, String self) {
    Link[] link = new Link[1];
    StatePeerHandler handler =
        new StatePeerHandler(
            local, peerId, stats, () -> backoffs.remove(peerId), () -> closed(peerId, link[0]));
    ChannelFuture connecting =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .option(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(
                    (int) (MAX_QUEUED_BYTES / 4), (int) (MAX_QUEUED_BYTES / 2)))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    if (tls != null) {
                      tls.secureClientChannel(channel.pipeline(), address.host(), address.port());
                    }
                    StateFrames.installDecoder(channel.pipeline());
                    channel.pipeline().addLast(handler);
                  }
                })
            .connect(address.host(), address.port());
    link[0] = new Link(address, self, connecting);
    connecting.addListener(
        f -> {
          link[0].connected(f.isSuccess());
          if (!f.isSuccess()) {
            handler.connectFailed();
          }
        });
    return link[0];
  }

  /** The link to {@code peerId} ended: forget it, back off, and tell the listener once. */
  private void closed(String peerId, Link link) {
    if (link == null || !links.remove(peerId, link)) {
      return; // replaced already (the peer moved), or closing: nothing the driver must hear
    }
    backoffs.compute(
        peerId,
        (id, previous) -> {
          long delay =
              previous == null
                  ? MIN_BACKOFF_MILLIS
                  : Math.min(MAX_BACKOFF_MILLIS, previous.delayMillis * 2);
          return new Backoff(delay, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay));
        });
    listener.onPeerUnreachable(peerId);
  }

  /** Peers with an open or opening connection now. */
  public int connections() {
    return links.size();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().awaitUninterruptibly();
    }
    for (Link link : links.values()) {
      link.channel().close();
    }
    links.clear();
    if (ownsGroup
        && !group
            .shutdownGracefully(0, 0, TimeUnit.MILLISECONDS)
            .awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
      logger.warn("partitioned state loop still running after {} s", CLOSE_WAIT_SECONDS);
    }
  }

  /** When a peer whose connection failed may be dialled again, and the delay that set it. */
  private record Backoff(long delayMillis, long retryAtNanos) {}

  /**
   * One dialled connection. Every write runs on the channel's loop, and the hello goes first: the
   * connect promise's listeners run before the channel's {@code channelActive}, so a message
   * written as soon as the connect completed would otherwise overtake a hello written there. Until
   * connected, frames wait here (dropped if the connect fails).
   */
  private final class Link {
    private final Address address;

    /** The member id this node greeted the peer with: the sender of every frame on the link. */
    private final String self;

    private final ChannelFuture connecting;
    private final java.util.ArrayDeque<ByteBuf> waiting = new java.util.ArrayDeque<>();
    private boolean greeted;
    private boolean flushQueued;

    Link(Address address, String self, ChannelFuture connecting) {
      this.address = address;
      this.self = self;
      this.connecting = connecting;
    }

    Channel channel() {
      return connecting.channel();
    }

    /** On the loop, once the connect completed: the hello, then what waited. */
    void connected(boolean success) {
      Channel channel = channel();
      if (!success) {
        waiting.forEach(ByteBuf::release);
        waiting.clear();
        return;
      }
      greeted = true;
      channel.write(StateFrames.hello(local.hello(self)), channel.voidPromise());
      for (ByteBuf frame = waiting.poll(); frame != null; frame = waiting.poll()) {
        channel.write(frame, channel.voidPromise());
      }
      channel.flush();
    }

    /**
     * One flush for every message written in this pass of the loop: the flush runs after the tasks
     * already queued, which hold the other messages the store produced meanwhile (a burst of
     * backups and acks is one system call, not one each). Loop thread only.
     */
    private void flushSoon(Channel channel) {
      if (!flushQueued) {
        flushQueued = true;
        channel
            .eventLoop()
            .execute(
                () -> {
                  flushQueued = false;
                  channel.flush();
                });
      }
    }

    void write(ByteBuf frame) {
      Channel channel = channel();
      if (channel.bytesBeforeWritable() > MAX_QUEUED_BYTES) {
        frame.release();
        stats.slowCutOff.increment();
        log.warn(System.nanoTime(), "slow " + address, "cut off {}: it stopped reading", address);
        channel.close(); // reported through closed(): the driver hears the peer is unreachable
        return;
      }
      channel.eventLoop().execute(() -> writeOnLoop(frame));
    }

    private void writeOnLoop(ByteBuf frame) {
      Channel channel = channel();
      if (greeted) {
        channel.write(frame, channel.voidPromise());
        flushSoon(channel);
      } else if (connecting.isDone() && !connecting.isSuccess()) {
        frame.release();
      } else {
        waiting.add(frame);
      }
    }
  }
}
