package io.hivemind.server.transport;

import io.hivemind.server.loop.DriverLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty event loops gossip runs on, handed out as {@link DriverLoop}s so that the drivers above
 * the transport never see Netty. A driver runs on the loop {@link #next} gives it, and {@link
 * #bind} registers that driver's transport on the same loop: one thread owns the node and its
 * sockets, and the transport's upcalls reach the driver without a hop. Several nodes may share one
 * group ({@code hivemind dev --nodes 3}, tests, benchmarks), each on one of its loops.
 *
 * <p>Thread-safe. Lifecycle: {@link #create} returns it running; {@link #close} shuts every loop
 * down, and comes after closing the services on it.
 */
public final class GossipLoops implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GossipLoops.class);
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final EventLoopGroup group;

  private GossipLoops(EventLoopGroup group) {
    this.group = group;
  }

  /** {@code threads} NIO event loops whose threads are named {@code threadNamePrefix-…}. */
  public static GossipLoops create(int threads, String threadNamePrefix) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    return new GossipLoops(GossipTransport.newEventLoopGroup(threads, threadNamePrefix));
  }

  /** One loop of the group, round-robin: the owning thread for one driver. */
  public DriverLoop next() {
    return new NettyDriverLoop(this, group.next());
  }

  /**
   * Binds a gossip transport whose channels live on {@code loop}, the driver's own loop, so that
   * {@code handler} is called on the driver's thread. Blocks until bound: not on a loop.
   *
   * @param loop a loop this group handed out with {@link #next}
   * @param keyring seals everything sent and must open everything received; null for plaintext
   * @throws IllegalArgumentException if {@code loop} is not one of this group's
   * @throws GossipBindException if either socket cannot be bound
   */
  public GossipTransport bind(
      TransportConfig config, GossipKeyring keyring, DriverLoop loop, GossipHandler handler) {
    Objects.requireNonNull(loop, "loop");
    if (!(loop instanceof NettyDriverLoop netty) || netty.group() != this) {
      throw new IllegalArgumentException("loop " + loop + " is not one of this group's");
    }
    return GossipTransport.bind(config, keyring, netty.eventLoop(), handler);
  }

  /**
   * Shuts every loop down at once (close the services on it first). Waits up to a few seconds for
   * the threads to end, unless called on one of them.
   */
  @Override
  public void close() {
    Future<?> terminated = group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    if (!onOwnThread() && !terminated.awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
      log.warn("gossip event loops still running after {} s", CLOSE_WAIT_SECONDS);
    }
  }

  private boolean onOwnThread() {
    for (EventExecutor executor : group) {
      if (executor.inEventLoop()) {
        return true;
      }
    }
    return false;
  }
}
