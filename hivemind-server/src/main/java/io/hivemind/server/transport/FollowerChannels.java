package io.hivemind.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's connections: how many are open (against the cap) and which are following (they get
 * heartbeats). Thread-safe: connections live on several loops.
 */
final class FollowerChannels {

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final ChannelGroup following;

  FollowerChannels(int max, EventExecutor executor) {
    this.max = max;
    this.following = new DefaultChannelGroup("gateway-followers", executor);
  }

  /** Counts {@code channel} in; false (and not counted) when the cap is reached. */
  boolean tryAdd(Channel channel) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      return false;
    }
    channel.attr(Counted.KEY).set(Boolean.TRUE);
    return true;
  }

  void following(Channel channel) {
    following.add(channel); // a group forgets a channel by itself once it closes
  }

  void remove(Channel channel) {
    if (channel.attr(Counted.KEY).getAndSet(null) != null) {
      open.decrementAndGet();
    }
  }

  int open() {
    return open.get();
  }

  int following() {
    return following.size();
  }

  /** Writes one shared frame to every follower (each gets a duplicate); releases {@code frame}. */
  void writeToAll(ByteBuf frame) {
    try {
      for (Channel channel : following) {
        channel.writeAndFlush(frame.retainedDuplicate(), channel.voidPromise());
      }
    } finally {
      frame.release();
    }
  }

  void closeAll() {
    following.close();
  }

  /** The channel attribute that says it was counted in (so it is counted out once). */
  private static final class Counted {
    static final io.netty.util.AttributeKey<Boolean> KEY =
        io.netty.util.AttributeKey.valueOf(FollowerChannels.class, "counted");

    private Counted() {}
  }
}
