package io.hivemind.server.transport;

import io.hivemind.core.control.GatewayMessage;
import io.hivemind.core.membership.Address;
import io.hivemind.server.control.GatewayConnection;
import io.hivemind.server.control.GatewayConnector;
import io.hivemind.server.loop.DriverLoop;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A plain agent's side of the control gateway: opens {@link GatewayConnection}s for the {@code
 * FollowerControlPlane}. One event loop serves every connection of the process (an agent keeps one;
 * a benchmark a thousand).
 *
 * <p>Thread-safe. Lifecycle: created running; {@link #close} closes every connection and the loop.
 */
public final class ControlGatewayClient implements GatewayConnector {

  /**
   * The feed's first message may be a snapshot of the whole registry, KV store and event log: a few
   * MB at 1,000 members; 64 MiB leaves room and still bounds what a rogue gateway can make us
   * allocate.
   */
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 << 20;

  /** Control nodes are on the same network; a connect taking longer means try another. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private static final long CLOSE_WAIT_SECONDS = 5;

  /**
   * Bytes queued towards a gateway that stopped reading before the connection is given up (the
   * follower fails over): catalogue frames relayed between control nodes would otherwise queue
   * without bound. Far above what requests and one's own catalogue changes ever queue.
   */
  static final long MAX_QUEUED_BYTES = 64L << 20;

  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final SslContext tls;
  private final int maxFrameBytes;
  private final Duration connectTimeout;

  /**
   * @param tls the client's TLS context (mutual TLS from the cluster CA), or null for plaintext
   */
  public ControlGatewayClient(SslContext tls, int maxFrameBytes, Duration connectTimeout) {
    if (tls != null && tls.isServer()) {
      throw new IllegalArgumentException("the gateway client needs a client TLS context");
    }
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 1, got " + maxFrameBytes);
    }
    this.tls = tls;
    this.maxFrameBytes = maxFrameBytes;
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.group = GossipTransport.newEventLoopGroup(1, "hivemind-gateway-client");
    this.ownsGroup = true;
  }

  private ControlGatewayClient(SslContext tls, EventLoopGroup borrowed) {
    this.tls = tls;
    this.maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
    this.connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    this.group = borrowed;
    this.ownsGroup = false;
  }

  /**
   * A client whose one connection lives on {@code loop} when it is a Netty loop (the agent's gossip
   * loop: a plain agent's follower then costs no thread of its own, and its upcalls need no hop),
   * else on a loop of its own. Default limits.
   *
   * @param tls the client's TLS context, or null for plaintext
   */
  public static ControlGatewayClient on(DriverLoop loop, SslContext tls) {
    if (tls != null && tls.isServer()) {
      throw new IllegalArgumentException("the gateway client needs a client TLS context");
    }
    if (loop instanceof NettyDriverLoop netty) {
      return new ControlGatewayClient(tls, netty.eventLoop());
    }
    return new ControlGatewayClient(tls, DEFAULT_MAX_FRAME_BYTES, DEFAULT_CONNECT_TIMEOUT);
  }

  /** Plaintext, default limits. */
  public static ControlGatewayClient plaintext() {
    return new ControlGatewayClient(null, DEFAULT_MAX_FRAME_BYTES, DEFAULT_CONNECT_TIMEOUT);
  }

  @Override
  public GatewayConnection connect(Address address, GatewayConnection.Listener listener) {
    Objects.requireNonNull(address, "address");
    GatewayClientHandler handler =
        new GatewayClientHandler(Objects.requireNonNull(listener, "listener"));
    ChannelFuture connecting =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    if (tls != null) {
                      channel
                          .pipeline()
                          .addLast(
                              "tls",
                              tls.newHandler(channel.alloc(), address.host(), address.port()));
                    }
                    GatewayFrames.installDecoder(channel.pipeline(), maxFrameBytes);
                    channel.pipeline().addLast(handler);
                  }
                })
            .connect(address.host(), address.port());
    connecting.addListener(
        f -> {
          if (!f.isSuccess()) {
            handler.connectFailed(f.cause());
          }
        });
    return new Connection(connecting);
  }

  @Override
  public void close() {
    if (!ownsGroup) {
      return; // the loop's owner shuts it down; our channel closes with the follower
    }
    group
        .shutdownGracefully(0, 0, TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * One connection: frames out through its channel. A message sent before the connect completed
   * waits for it (Netty fails a write to a channel not yet connected), and is dropped if it fails.
   */
  private record Connection(ChannelFuture connecting) implements GatewayConnection {
    @Override
    public void send(GatewayMessage message) {
      Channel channel = connecting.channel();
      if (channel.bytesBeforeWritable() > MAX_QUEUED_BYTES) {
        channel.close(); // the listener hears onClosed and fails over
        return;
      }
      if (connecting.isDone()) {
        channel.writeAndFlush(GatewayFrames.encode(message), channel.voidPromise());
      } else {
        connecting.addListener(
            f -> {
              if (f.isSuccess()) {
                channel.writeAndFlush(GatewayFrames.encode(message), channel.voidPromise());
              }
            });
      }
    }

    @Override
    public void close() {
      connecting.channel().close();
    }
  }
}
