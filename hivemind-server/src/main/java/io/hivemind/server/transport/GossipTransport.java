package io.hivemind.server.transport;

import io.hivemind.core.membership.Address;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gossip transport of one node: a UDP socket for packets and a TCP listener for streams, both
 * bound to the same port number, plus the outbound stream connections it opens.
 *
 * <p>Owning thread: the single {@link EventLoop} given to {@link #bind}. Every channel (UDP, the
 * listener, accepted and opened connections) is registered on it, so the {@link GossipHandler} is
 * only ever called there, and the membership node behind it needs no locks. {@link #sendPacket} and
 * {@link #openStream} must be called on that loop too; {@link #setKeyring}, {@link #stats} and
 * {@link #close} from any thread.
 *
 * <p>Packet budget: the core keeps packets within {@code maxPacketSize} (1,400 bytes by default)
 * and encryption adds {@value GossipKeyring#OVERHEAD_BYTES}, so sealed datagrams reach 1,429 bytes.
 * With 28 bytes of IPv4 and UDP headers that is 1,457, inside a 1,500-byte Ethernet MTU (loopback's
 * is 64 KiB); memberlist makes the same choice. On IPv6 (48 bytes of headers) or tunnels with a
 * smaller MTU, lower {@code maxPacketSize} rather than let datagrams fragment.
 *
 * <p>Streams: connect, write one length-prefixed frame, read one back, close (see {@link
 * StreamFraming}). Lifecycle: {@link #bind} returns it running; {@link #close} is final.
 */
public final class GossipTransport implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GossipTransport.class);

  /** With port 0, the UDP port the kernel picks may be taken for TCP; try a few more. */
  private static final int EPHEMERAL_BIND_ATTEMPTS = 5;

  private static final long CLOSE_WAIT_SECONDS = 5;

  private static final int UDP_RECEIVE_BUFFER_BYTES = 2 * 1024 * 1024;

  private final TransportConfig config;
  private final EventLoop loop;
  private final GossipHandler handler;
  private final TransportStats stats = new TransportStats();
  private final Envelope envelope;
  private final InboundLimit inboundLimit;
  private final ChannelGroup channels;
  private Channel udp;
  private volatile boolean closed;

  private GossipTransport(
      TransportConfig config, GossipKeyring keyring, EventLoop loop, GossipHandler handler) {
    this.config = config;
    this.loop = loop;
    this.handler = handler;
    this.envelope = new Envelope(keyring, stats);
    this.inboundLimit = new InboundLimit(config.maxInboundStreams());
    this.channels = new DefaultChannelGroup("gossip", loop);
  }

  /**
   * Binds UDP and TCP on {@code config}'s host and port, on {@code loop}. Blocks until bound, so it
   * must not be called on an event loop.
   *
   * @param keyring seals everything sent and must open everything received; null for plaintext
   * @throws GossipBindException if either socket cannot be bound
   */
  public static GossipTransport bind(
      TransportConfig config, GossipKeyring keyring, EventLoop loop, GossipHandler handler) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(handler, "handler");
    if (loop.inEventLoop()) {
      throw new IllegalStateException("bind blocks; call it off the event loop");
    }
    GossipTransport transport = new GossipTransport(config, keyring, loop, handler);
    transport.bindSockets();
    if (keyring == null) {
      log.warn("gossip is not encrypted: no key configured");
    }
    log.info(
        "gossip transport listening on {}:{} (UDP and TCP)", config.bindHost(), transport.port());
    return transport;
  }

  /**
   * An NIO event-loop group for transports; several nodes may share one. The caller owns it and
   * shuts it down after closing every transport on it.
   */
  public static EventLoopGroup newEventLoopGroup(int threads, String threadNamePrefix) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(threadNamePrefix), NioIoHandler.newFactory());
  }

  private void bindSockets() {
    for (int attempt = 1; ; attempt++) {
      udp = bindOrThrow(udpBootstrap().bind(config.bindHost(), config.bindPort()), "UDP", 0);
      int port = port();
      try {
        bindOrThrow(tcpBootstrap().bind(config.bindHost(), port), "TCP", port);
        return;
      } catch (GossipBindException e) {
        udp.close().awaitUninterruptibly();
        if (config.bindPort() != 0 || attempt == EPHEMERAL_BIND_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private Channel bindOrThrow(ChannelFuture bound, String protocol, int port) {
    bound.awaitUninterruptibly();
    if (!bound.isSuccess()) {
      int shown = port == 0 ? config.bindPort() : port;
      throw new GossipBindException(
          "cannot bind gossip "
              + protocol
              + " port "
              + new Address(config.bindHost(), shown)
              + ": "
              + bound.cause().getMessage(),
          bound.cause());
    }
    channels.add(bound.channel());
    return bound.channel();
  }

  private Bootstrap udpBootstrap() {
    return new Bootstrap()
        .group(loop)
        .channel(NioDatagramChannel.class)
        // memberlist asks for 2 MiB so that a burst (a join storm, a push of many updates) waits
        // in the kernel instead of being dropped; the kernel caps it at net.core.rmem_max.
        .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER_BYTES)
        // One byte over the limit, so that an oversized datagram is seen (and dropped) as such
        // rather than silently truncated to the buffer.
        .option(
            ChannelOption.RECVBUF_ALLOCATOR,
            new FixedRecvByteBufAllocator(config.maxDatagramBytes() + 1))
        .handler(new PacketHandler(config.maxDatagramBytes(), envelope, handler, stats));
  }

  private ServerBootstrap tcpBootstrap() {
    return new ServerBootstrap()
        .group(loop, loop) // accepted streams on the node's loop too: one thread touches the node
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true) // rebind at once after a restart (TIME_WAIT)
        // Out of descriptors: pause accepting and log once an interval, not a stack trace a second.
        .handler(new AcceptBackoff("gossip TCP", stats.acceptErrors::increment))
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel channel) {
                channels.add(channel);
                StreamFraming.install(
                    channel.pipeline(),
                    config,
                    new StreamServerHandler(
                        envelope, handler, stats, inboundLimit, config.requestDeadline()));
              }
            });
  }

  /** The port bound for both UDP and TCP (the chosen one when configured with 0). */
  public int port() {
    return ((InetSocketAddress) udp.localAddress()).getPort();
  }

  /** Sends one datagram. Lossy by design: a failure is counted, never reported. Loop only. */
  public void sendPacket(Address to, byte[] packet) {
    if (closed) {
      return;
    }
    InetSocketAddress recipient = NetAddresses.toSocketAddress(to);
    // A full socket buffer means the network cannot keep up; queuing more in memory would only
    // delay packets the protocol has already given up on.
    if (recipient.isUnresolved() || !udp.isWritable()) {
      stats.packetSendFailures.increment();
      return;
    }
    byte[] sealed = envelope.seal(FrameKind.PACKET, packet);
    stats.packetsSent.increment();
    stats.bytesSent.add(sealed.length);
    udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(sealed), recipient))
        .addListener(this::countSendFailure);
  }

  private void countSendFailure(io.netty.util.concurrent.Future<? super Void> sent) {
    if (!sent.isSuccess()) {
      stats.packetSendFailures.increment();
      log.debug("datagram not sent: {}", sent.cause().toString());
    }
  }

  /**
   * Opens a stream to {@code to} and sends {@code request}; the outcome reaches the handler later,
   * as {@link GossipHandler#onStreamResponse} or {@link GossipHandler#onStreamFailure}. The work is
   * deferred to a fresh loop task so that not even an immediate failure calls the handler back from
   * inside this call (the node that asked is still mid-call). Loop only.
   */
  public void openStream(Address to, long streamId, byte[] request) {
    stats.streamsOpened.increment();
    loop.execute(() -> connect(to, streamId, request));
  }

  private void connect(Address to, long streamId, byte[] request) {
    StreamClientHandler stream =
        new StreamClientHandler(streamId, request, envelope, handler, stats);
    InetSocketAddress remote = NetAddresses.toSocketAddress(to);
    if (closed || remote.isUnresolved()) {
      stream.fail(closed ? "transport closed" : "cannot resolve " + to, null);
      return;
    }
    new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(
            ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel channel) {
                channels.add(channel);
                StreamFraming.install(channel.pipeline(), config, stream);
              }
            })
        .connect(remote)
        .addListener(
            (ChannelFutureListener)
                connected -> {
                  if (!connected.isSuccess()) {
                    handler.onStreamConnectFailure(streamId, ConnectFailure.of(connected.cause()));
                    stream.fail("cannot connect to " + to, connected.cause());
                  }
                });
  }

  /** Replaces the keyring (rotation); null turns encryption off. Any thread. */
  public void setKeyring(GossipKeyring keyring) {
    envelope.setKeyring(keyring);
  }

  /** Live counters; any thread. */
  public TransportStats stats() {
    return stats;
  }

  /**
   * Closes every socket of this transport. Idempotent; any thread. Off the loop it waits (up to a
   * few seconds) for the sockets to be released; on the loop it cannot wait, and returns at once.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    var closing = channels.close();
    if (!loop.inEventLoop()
        && !closing.awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
      log.warn("gossip sockets still closing after {} s", CLOSE_WAIT_SECONDS);
    }
  }
}
