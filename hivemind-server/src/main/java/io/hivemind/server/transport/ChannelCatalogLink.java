package io.hivemind.server.transport;

import io.hivemind.core.control.GatewayMessage;
import io.hivemind.server.catalog.CatalogLink;
import io.hivemind.server.catalog.LinkScope;
import io.netty.channel.Channel;

/**
 * The gateway's end of a follower's or another control node's catalogue link: frames go out on the
 * connection's channel, wrapped in a gateway frame. A peer that stops reading is cut off like the
 * control feed's followers (its queue would grow with every change); it reconnects and the digest
 * exchange repairs what it missed.
 *
 * <p>Thread-safe: the replica's thread sends, Netty writes on the channel's loop.
 */
final class ChannelCatalogLink implements CatalogLink {

  private final Channel channel;
  private final LinkScope scope;
  private final String peerId;
  private final long maxQueuedBytes;
  private final GatewayServerStats stats;

  ChannelCatalogLink(
      Channel channel,
      LinkScope scope,
      String peerId,
      long maxQueuedBytes,
      GatewayServerStats stats) {
    this.channel = channel;
    this.scope = scope;
    this.peerId = peerId;
    this.maxQueuedBytes = maxQueuedBytes;
    this.stats = stats;
  }

  @Override
  public LinkScope scope() {
    return scope;
  }

  @Override
  public String peerId() {
    return peerId;
  }

  @Override
  public boolean dialed() {
    return false;
  }

  @Override
  public void send(byte[] frame) {
    if (!channel.isActive()) {
      return;
    }
    if (channel.bytesBeforeWritable() > maxQueuedBytes) {
      stats.slowCutOff.increment();
      channel.close();
      return;
    }
    channel.writeAndFlush(
        GatewayFrames.encode(new GatewayMessage.Catalog(frame)), channel.voidPromise());
  }

  @Override
  public String toString() {
    return scope + " link to " + peerId;
  }
}
