package io.hivemind.server.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Forwards queries for names outside the domain to the configured recursors (issue 12), over UDP,
 * and relays their answers, with a timeout: a recursor that does not answer within {@link #TIMEOUT}
 * gets the requester a SERVFAIL rather than silence, so its resolver moves on.
 *
 * <p>Each forwarded query gets a random id of its own (RFC 5452 9.2: an off-path attacker must
 * guess it) and is matched on id and recursor address; the requester's id is put back in the
 * answer. Recursors take turns, one per query. At most {@link #MAX_PENDING} queries wait at once;
 * past that, SERVFAIL at once (a flood of outside names cannot grow the table).
 *
 * <p>Owning thread: the DNS event loop, where the socket, the table and the timers live.
 */
final class DnsForwarder implements AutoCloseable {

  /** A recursor that has not answered in 2 s is not going to in time for a resolver's retry. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  static final int MAX_PENDING = 1024;

  private final List<InetSocketAddress> recursors;
  private final DnsStats stats;
  private final SplittableRandom random;
  private final Map<Integer, Pending> pending = new HashMap<>();
  private Channel channel;
  private int turn;

  private record Pending(
      int requesterId,
      InetSocketAddress recursor,
      Consumer<ByteBuf> reply,
      ByteBuf failure,
      ScheduledFuture<?> timer) {}

  DnsForwarder(List<InetSocketAddress> recursors, DnsStats stats, SplittableRandom random) {
    if (recursors.isEmpty()) {
      throw new IllegalArgumentException("a forwarder needs at least one recursor");
    }
    this.recursors = List.copyOf(recursors);
    this.stats = stats;
    this.random = random;
  }

  /** Binds the forwarder's own socket (an ephemeral port, every interface) on {@code group}. */
  void bind(EventLoopGroup group) throws IOException {
    ChannelFuture bound =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(new AnswerHandler())
            .bind(0)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IOException(
          "cannot open the DNS forwarder's socket: " + bound.cause(), bound.cause());
    }
    channel = bound.channel();
  }

  /**
   * Sends {@code query} (a whole query message; taken over) to the next recursor; {@code reply} is
   * called once, on the event loop, with the recursor's answer or {@code failure} (a SERVFAIL to
   * the query, question included: resolvers check it; taken over).
   */
  void forward(ByteBuf query, int requesterId, ByteBuf failure, Consumer<ByteBuf> reply) {
    if (pending.size() >= MAX_PENDING) {
      query.release();
      stats.forwardFailed();
      reply.accept(failure);
      return;
    }
    int id = freeId();
    InetSocketAddress recursor = recursors.get(turn++ % recursors.size());
    ScheduledFuture<?> timer =
        channel.eventLoop().schedule(() -> timedOut(id), TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    pending.put(id, new Pending(requesterId, recursor, reply, failure, timer));
    query.setShort(0, id);
    stats.forwarded();
    channel.writeAndFlush(new DatagramPacket(query, recursor), channel.voidPromise());
  }

  private int freeId() {
    int id;
    do {
      id = random.nextInt(0x10000);
    } while (pending.containsKey(id));
    return id;
  }

  private void timedOut(int id) {
    Pending waiting = pending.remove(id);
    if (waiting != null) {
      stats.forwardFailed();
      waiting.reply().accept(waiting.failure());
    }
  }

  private void answered(DatagramPacket packet) {
    ByteBuf answer = packet.content();
    if (answer.readableBytes() < DnsWire.HEADER_BYTES) {
      return;
    }
    int id = answer.getUnsignedShort(answer.readerIndex());
    Pending waiting = pending.get(id);
    if (waiting == null || !waiting.recursor().equals(packet.sender())) {
      return; // late, or not from the recursor asked: dropped (RFC 5452 9.1)
    }
    pending.remove(id);
    waiting.timer().cancel(false);
    waiting.failure().release();
    ByteBuf copy = Unpooled.copiedBuffer(answer);
    copy.setShort(0, waiting.requesterId());
    waiting.reply().accept(copy);
  }

  @Override
  public void close() {
    for (Pending waiting : pending.values()) {
      waiting.failure().release();
    }
    pending.clear();
    if (channel != null) {
      channel.close().awaitUninterruptibly();
    }
  }

  private final class AnswerHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      answered(packet);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // An ICMP unreachable from a recursor that is down: its queries time out.
    }
  }
}
