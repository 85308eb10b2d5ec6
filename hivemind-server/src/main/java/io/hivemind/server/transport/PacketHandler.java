package io.hivemind.server.transport;

import io.hivemind.core.membership.Address;
import io.hivemind.server.logging.RateLimitedLog;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives datagrams on the gossip port: bounds, opens and hands each to the {@link GossipHandler}.
 * Runs on the transport's event loop; nothing it catches leaves the pipeline.
 */
final class PacketHandler extends SimpleChannelInboundHandler<DatagramPacket> {

  private static final Logger log = LoggerFactory.getLogger(PacketHandler.class);

  /** A socket error can come once per datagram (ICMP errors, a flood): one line an interval. */
  private static final RateLimitedLog rateLimited = new RateLimitedLog(log);

  private final int maxDatagramBytes;
  private final Envelope envelope;
  private final GossipHandler handler;
  private final TransportStats stats;

  PacketHandler(
      int maxDatagramBytes, Envelope envelope, GossipHandler handler, TransportStats stats) {
    this.maxDatagramBytes = maxDatagramBytes;
    this.envelope = envelope;
    this.handler = handler;
    this.stats = stats;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
    int size = datagram.content().readableBytes();
    stats.packetsReceived.increment();
    stats.bytesReceived.add(size);
    // The receive buffer is one byte larger than the limit, so a longer datagram shows up as a
    // full buffer (the kernel truncates it) instead of passing silently.
    if (size > maxDatagramBytes) {
      stats.droppedOversized.increment();
      log.debug("dropped datagram of {}+ bytes from {}", size, datagram.sender());
      return;
    }
    byte[] packet =
        envelope.open(
            FrameKind.PACKET, ByteBufUtil.getBytes(datagram.content()), datagram.sender());
    if (packet != null) {
      Address from = NetAddresses.toAddress(datagram.sender());
      handler.onPacket(from, packet);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A datagram socket survives a failed read; keep it open and keep serving.
    rateLimited.warn(
        ctx.executor().ticker().nanoTime(),
        "udp-error",
        "gossip UDP socket error on {} (continuing)",
        ctx.channel().localAddress(),
        cause);
  }
}
