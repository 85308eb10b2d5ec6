package io.hivemind.server.dns;

import io.hivemind.server.transport.AcceptBackoff;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS server: one UDP socket and one TCP listener on the same port, served by one event-loop
 * thread of its own ({@code hivemind-dns}), so that a flood of queries never slows gossip or HTTP.
 *
 * <p>Owning thread: {@code hivemind-dns} for everything after {@link #bind}; {@link #close} may be
 * called from any thread. TCP connections are capped ({@value #MAX_TCP_CONNECTIONS}) and closed
 * after {@value #TCP_IDLE_SECONDS} s without a query (RFC 7766 6.2.3 suggests seconds).
 */
final class DnsServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);

  /** A query larger than this is not one a resolver sends; reading is bounded by it. */
  static final int MAX_UDP_QUERY_BYTES = 4096;

  static final int MAX_TCP_CONNECTIONS = 256;
  static final int TCP_IDLE_SECONDS = 10;
  private static final int CLOSE_TIMEOUT_SECONDS = 5;

  private final EventLoopGroup group;
  private final Channel udp;
  private final Channel tcp;
  private final DnsForwarder forwarder;

  private DnsServer(EventLoopGroup group, Channel udp, Channel tcp, DnsForwarder forwarder) {
    this.group = group;
    this.udp = udp;
    this.tcp = tcp;
    this.forwarder = forwarder;
  }

  /**
   * Binds UDP and TCP on {@code host:port} (port 0: TCP takes a free port, UDP the same number).
   *
   * @throws IOException when either cannot be bound; the message names the address
   */
  static DnsServer bind(String host, int port, DnsResponder responder, DnsForwarder forwarder)
      throws IOException {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("hivemind-dns", true), NioIoHandler.newFactory());
    Channel tcp = null;
    try {
      if (forwarder != null) {
        forwarder.bind(group);
      }
      tcp =
          bound(tcpBootstrap(group, responder).bind(new InetSocketAddress(host, port)), host, port);
      int actual = ((InetSocketAddress) tcp.localAddress()).getPort();
      Channel udp =
          bound(
              udpBootstrap(group, responder).bind(new InetSocketAddress(host, actual)),
              host,
              actual);
      log.info("DNS listening on {}:{} (UDP and TCP)", host, actual);
      return new DnsServer(group, udp, tcp, forwarder);
    } catch (IOException e) {
      if (tcp != null) {
        tcp.close().awaitUninterruptibly();
      }
      if (forwarder != null) {
        forwarder.close();
      }
      shutDown(group);
      throw e;
    }
  }

  private static Channel bound(ChannelFuture future, String host, int port) throws IOException {
    future.awaitUninterruptibly();
    if (!future.isSuccess()) {
      Throwable cause = future.cause();
      String why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
      throw new IOException("cannot serve DNS on " + host + ":" + port + ": " + why, cause);
    }
    return future.channel();
  }

  private static Bootstrap udpBootstrap(EventLoopGroup group, DnsResponder responder) {
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_UDP_QUERY_BYTES))
        .handler(new UdpHandler(responder));
  }

  private static ServerBootstrap tcpBootstrap(EventLoopGroup group, DnsResponder responder) {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .handler(new AcceptBackoff("DNS", () -> {}))
        .childHandler(new TcpInitializer(responder));
  }

  /** The port both sockets listen on. */
  int port() {
    return ((InetSocketAddress) tcp.localAddress()).getPort();
  }

  @Override
  public void close() {
    udp.close().awaitUninterruptibly();
    tcp.close().awaitUninterruptibly();
    if (forwarder != null) {
      forwarder.close();
    }
    shutDown(group);
    log.info("DNS on port {} closed", ((InetSocketAddress) tcp.localAddress()).getPort());
  }

  private static void shutDown(EventLoopGroup group) {
    boolean stopped =
        group
            .shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
    if (!stopped) {
      log.warn("the DNS thread did not stop within {} s", CLOSE_TIMEOUT_SECONDS);
    }
  }

  /** One datagram, one answer (or none); the socket stays open whatever a datagram holds. */
  private static final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final DnsResponder responder;

    UdpHandler(DnsResponder responder) {
      this.responder = responder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      InetSocketAddress sender = packet.sender();
      ByteBuf response =
          responder.respond(
              packet.content(),
              DnsStats.Transport.UDP,
              ctx.alloc(),
              later -> ctx.writeAndFlush(new DatagramPacket(later, sender), ctx.voidPromise()));
      if (response != null) {
        ctx.write(new DatagramPacket(response, packet.sender()), ctx.voidPromise());
      }
    }

    /** One flush per batch of datagrams read, not one per answer. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // An ICMP unreachable from an earlier answer, a full buffer: not worth closing the socket.
      log.debug("DNS UDP socket: {}", cause.toString());
    }
  }

  /** Per connection: 2-byte length framing (RFC 1035 4.2.2), an idle timeout, a cap. */
  private static final class TcpInitializer extends ChannelInitializer<SocketChannel> {
    private final DnsResponder responder;

    /** Open connections; changed on the DNS thread only (initChannel and close listeners). */
    private int open;

    TcpInitializer(DnsResponder responder) {
      this.responder = responder;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
      if (open >= MAX_TCP_CONNECTIONS) {
        channel.close();
        return;
      }
      open++;
      channel.closeFuture().addListener(closed -> open--);
      channel
          .pipeline()
          .addLast(new ReadTimeoutHandler(TCP_IDLE_SECONDS, TimeUnit.SECONDS))
          .addLast(new LengthFieldBasedFrameDecoder(DnsWire.MAX_TCP_BYTES, 0, 2, 0, 2))
          .addLast(new LengthFieldPrepender(2))
          .addLast(new TcpHandler(responder));
    }
  }

  private static final class TcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final DnsResponder responder;

    TcpHandler(DnsResponder responder) {
      this.responder = responder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      ByteBuf response =
          responder.respond(
              frame,
              DnsStats.Transport.TCP,
              ctx.alloc(),
              later -> ctx.writeAndFlush(later, ctx.voidPromise()));
      if (response != null) {
        ctx.writeAndFlush(response, ctx.voidPromise());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("DNS TCP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }
}
