package io.hivemind.server.transport;

import io.hivemind.core.membership.Address;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One end of a gossip stream without a socket: an {@link EmbeddedChannel} with the transport's
 * stream pipeline ({@link StreamFraming}), whose peer has an IP address as a TCP peer does, and
 * whose clock moves only when a test calls {@link #advance}.
 */
final class PeerChannel extends EmbeddedChannel {

  static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.2", 7946);
  static final Address PEER_ADDRESS = new Address("10.0.0.2", 7946);

  private final MockTicker ticker;

  private PeerChannel(MockTicker ticker, ChannelHandler initializer) {
    super(EmbeddedChannel.builder().ticker(ticker).handlers(initializer));
    this.ticker = ticker;
  }

  /** A stream channel with framing and a read timeout in front of {@code last}, already active. */
  static PeerChannel stream(TransportConfig config, ChannelHandler last) {
    return new PeerChannel(
        Ticker.newMockTicker(),
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            StreamFraming.install(channel.pipeline(), config, last);
          }
        });
  }

  /** Moves this channel's clock by {@code duration} and runs the timers that fell due. */
  void advance(Duration duration) {
    ticker.advance(duration.toNanos(), TimeUnit.NANOSECONDS);
    runPendingTasks();
  }

  /** Everything written to the peer so far, as bytes on the wire. */
  byte[] written() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (ByteBuf buffer = readOutbound(); buffer != null; buffer = readOutbound()) {
      byte[] chunk = new byte[buffer.readableBytes()];
      buffer.readBytes(chunk);
      buffer.release();
      bytes.writeBytes(chunk);
    }
    return bytes.toByteArray();
  }

  /** {@code payload} as one stream frame: its 4-byte length, then the bytes. */
  static ByteBuf frame(byte[] payload) {
    return Unpooled.buffer().writeInt(payload.length).writeBytes(payload);
  }

  /** {@code payload} framed, as a byte array (to compare with {@link #written()}). */
  static byte[] framed(byte[] payload) {
    ByteBuf frame = frame(payload);
    byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes).release();
    return bytes;
  }

  /** The peer's address, as a connected socket reports it. */
  @Override
  protected SocketAddress remoteAddress0() {
    return PEER;
  }
}
