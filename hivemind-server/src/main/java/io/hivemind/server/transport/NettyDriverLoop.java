package io.hivemind.server.transport;

import io.hivemind.server.loop.DriverLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DriverLoop} on one Netty event loop, whose thread owns both the driver and the channels
 * its transport registers there. Netty rejects tasks once the loop is shut down, as the contract
 * asks.
 */
final class NettyDriverLoop implements DriverLoop {

  private final GossipLoops group;
  private final EventLoop loop;

  NettyDriverLoop(GossipLoops group, EventLoop loop) {
    this.group = group;
    this.loop = loop;
  }

  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  @Override
  public Scheduled schedule(Runnable task, long delayMillis) {
    ScheduledFuture<?> scheduled = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    return () -> scheduled.cancel(false);
  }

  @Override
  public boolean inLoop() {
    return loop.inEventLoop();
  }

  GossipLoops group() {
    return group;
  }

  EventLoop eventLoop() {
    return loop;
  }

  @Override
  public String toString() {
    return "NettyDriverLoop[" + loop + "]";
  }
}
