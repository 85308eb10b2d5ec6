package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.core.membership.MembershipNode;
import io.hivemind.core.membership.MembershipStats;
import io.hivemind.server.transport.GossipKeyring;
import io.hivemind.server.transport.GossipTransport;
import io.hivemind.server.transport.TransportStats;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster member on the real network: a {@link MembershipNode} driven over a {@link
 * GossipTransport}.
 *
 * <p>Owning thread: one Netty event loop, the only thread that ever touches the node (the core is
 * single-threaded by design and takes no locks). Several services may share one event-loop group
 * (tests, {@code hivemind dev --nodes 3}); each takes one loop of it. Every public method is
 * thread-safe: reads come from an immutable view the loop publishes after each change (no locks),
 * and operations hop onto the loop and answer with a future.
 *
 * <p>Listeners run on the loop, after the call into the node that produced the event has returned,
 * in event order. They must be quick (hand real work to another executor); one that throws is
 * logged and the others still run.
 *
 * <p>Lifecycle: {@link #start} binds, starts the node and returns the service RUNNING; {@link
 * #leave} leaves the cluster gracefully and the node falls silent; {@link #close} stops it
 * abruptly, as a crash looks to the others (CLOSING → CLOSED).
 */
public final class MembershipService implements AutoCloseable {

  /** Where the service is in its life. */
  public enum State {
    RUNNING,
    CLOSING,
    CLOSED
  }

  private static final Logger log = LoggerFactory.getLogger(MembershipService.class);
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final MembershipServiceConfig config;
  private final EventLoop loop;
  private final EventLoopGroup ownedGroup;
  private final NodeDriver driver;
  private final EventDispatcher dispatcher;
  private final GossipTransport transport;
  private final Address advertised;
  private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

  private MembershipService(
      MembershipServiceConfig config,
      EventLoop loop,
      EventLoopGroup ownedGroup,
      NodeDriver driver,
      EventDispatcher dispatcher,
      GossipTransport transport,
      Address advertised) {
    this.config = config;
    this.loop = loop;
    this.ownedGroup = ownedGroup;
    this.driver = driver;
    this.dispatcher = dispatcher;
    this.transport = transport;
    this.advertised = advertised;
  }

  /**
   * Binds the gossip port and starts a node on an event loop of its own. The node is a cluster of
   * one until {@link #join}.
   *
   * @throws io.hivemind.server.transport.GossipBindException if the port cannot be bound
   */
  public static MembershipService start(MembershipServiceConfig config) {
    EventLoopGroup group = GossipTransport.newEventLoopGroup(1, "gossip-" + config.nodeName());
    try {
      return start(config, group, group);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
  }

  /**
   * Binds the gossip port and starts a node on one loop of {@code group}, which must be an NIO
   * group (see {@link GossipTransport#newEventLoopGroup}). The caller keeps owning the group and
   * shuts it down after closing every service on it. A null group means a loop of its own, as
   * {@link #start(MembershipServiceConfig)}.
   */
  public static MembershipService start(MembershipServiceConfig config, EventLoopGroup group) {
    return group == null ? start(config) : start(config, group, null);
  }

  private static MembershipService start(
      MembershipServiceConfig config, EventLoopGroup group, EventLoopGroup ownedGroup) {
    Objects.requireNonNull(config, "config");
    EventLoop loop = group.next();
    EventDispatcher dispatcher = new EventDispatcher();
    NodeDriver driver = new NodeDriver(loop, config.clockMillis(), dispatcher);
    GossipTransport transport =
        GossipTransport.bind(config.transport(), config.keyring().orElse(null), loop, driver);
    try {
      Address advertised = AdvertiseAddress.choose(config, transport.port());
      MembershipNode node =
          new MembershipNode(
              config.identity(advertised),
              config.membership(),
              new SplittableRandom(new SecureRandom().nextLong()),
              driver);
      // Handing the node over through the loop's queue also publishes it safely to that thread.
      loop.submit(() -> driver.start(node, transport)).syncUninterruptibly();
      log.info("node {} started, advertising {}", config.nodeName(), advertised);
      return new MembershipService(
          config, loop, ownedGroup, driver, dispatcher, transport, advertised);
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  // ---- views: any thread, no locks ------------------------------------------------------------

  /** This node's name. */
  public String name() {
    return config.nodeName();
  }

  /** The address other members use to reach this node. */
  public Address advertisedAddress() {
    return advertised;
  }

  /** Every member this node knows, itself included, DEAD and LEFT ones until reaped. */
  public List<Member> members() {
    return driver.view().members();
  }

  /** This node as the cluster sees it. */
  public Member self() {
    return driver.view().self();
  }

  /** True once a seed has answered a join. */
  public boolean isJoined() {
    return driver.view().joined();
  }

  /** True once a graceful leave has completed; the node is silent from then on. */
  public boolean hasLeft() {
    return driver.view().left();
  }

  /** Lifeguard's local health score: 0 is healthy. */
  public int localHealthScore() {
    return driver.view().localHealthScore();
  }

  /** The core's counters, as of the last call into the node. */
  public MembershipStats counters() {
    return driver.view().counters();
  }

  /** The transport's counters (live). */
  public TransportStats transportStats() {
    return transport.stats();
  }

  /** Inputs the node threw on (bugs, each logged); they were dropped and the node kept going. */
  public long nodeErrors() {
    return driver.nodeErrors();
  }

  public State state() {
    return state.get();
  }

  // ---- operations: any thread, hop onto the loop ----------------------------------------------

  /** {@link #join(List, Duration)} with the configured join timeout. */
  public CompletableFuture<Void> join(List<Address> seeds) {
    return join(seeds, config.joinTimeout());
  }

  /**
   * Joins the cluster through {@code seeds} (any members). Completes when a seed has answered, or
   * at once when no seed but this node is given (it is then a cluster of one). Completes
   * exceptionally with a {@link JoinException} if none answered within {@code timeout}; the node
   * keeps retrying with back-off regardless, and a later success still emits {@code LOCAL_JOINED}.
   */
  public CompletableFuture<Void> join(List<Address> seeds, Duration timeout) {
    List<Address> seedList = List.copyOf(seeds);
    Objects.requireNonNull(timeout, "timeout");
    CompletableFuture<Void> joined = new CompletableFuture<>();
    onLoop(joined, () -> startJoin(seedList, timeout, joined));
    return joined;
  }

  private void startJoin(List<Address> seeds, Duration timeout, CompletableFuture<Void> joined) {
    if (seeds.stream().allMatch(advertised::equals)) {
      joined.complete(null); // The core skips itself as a seed; there is nobody else to ask.
      return;
    }
    dispatcher.awaitJoin(joined);
    ScheduledFuture<?> timer =
        loop.schedule(
            () -> joined.completeExceptionally(new JoinException(seeds, timeout)),
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    joined.whenComplete((ok, failed) -> timer.cancel(false));
    driver.call(node -> run(() -> node.join(seeds, driver.now())));
  }

  /**
   * Leaves gracefully: the node announces LEFT and completes the future once that has spread (or
   * the core's leave timeout passed). The node then stays silent until {@link #close}.
   */
  public CompletableFuture<Void> leave() {
    CompletableFuture<Void> left = new CompletableFuture<>();
    onLoop(
        left,
        () -> {
          dispatcher.awaitLeave(left);
          driver.call(node -> run(() -> node.leave(driver.now())));
          if (driver.view().left()) {
            left.complete(null); // Already left before this call.
          }
        });
    return left;
  }

  /**
   * Announces new roles, tags and zone; fails with IllegalArgumentException if they are too big.
   */
  public CompletableFuture<Void> updateMeta(
      Set<String> roles, Map<String, String> tags, String zone) {
    CompletableFuture<Void> updated = new CompletableFuture<>();
    onLoop(
        updated,
        () -> {
          driver.call(node -> run(() -> node.updateMeta(roles, tags, zone, driver.now())));
          updated.complete(null);
        });
    return updated;
  }

  /** Calls {@code listener} with every event from now on, on the node's loop (see class notes). */
  public void addListener(Consumer<MembershipEvent> listener) {
    dispatcher.addListener(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(Consumer<MembershipEvent> listener) {
    dispatcher.removeListener(listener);
  }

  /** Swaps in a new gossip keyring (key rotation); takes effect for the next packet. */
  public void setKeyring(GossipKeyring keyring) {
    transport.setKeyring(Objects.requireNonNull(keyring, "keyring"));
  }

  /**
   * Runs {@code action} on the loop, completing {@code future} exceptionally if it throws or the
   * service is closed. Always a fresh task, even on the loop: a listener calling back in must not
   * run inside the dispatch of the event it is handling.
   */
  private void onLoop(CompletableFuture<?> future, Runnable action) {
    if (state.get() != State.RUNNING) {
      future.completeExceptionally(closed());
      return;
    }
    try {
      loop.execute(
          () -> {
            try {
              action.run();
            } catch (RuntimeException e) {
              future.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(closed());
    }
  }

  private IllegalStateException closed() {
    return new IllegalStateException("membership service " + name() + " is " + state.get());
  }

  private static Void run(Runnable action) {
    action.run();
    return null;
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /**
   * Stops at once, without leaving: the others will detect a failure, as after a crash. Pending
   * joins and leaves fail. Idempotent; from any thread (on the loop it does not wait for sockets).
   */
  @Override
  public void close() {
    if (!state.compareAndSet(State.RUNNING, State.CLOSING)) {
      return;
    }
    runOnLoopAndWait(() -> driver.stop(closed()));
    transport.close();
    if (ownedGroup != null) {
      var terminated = ownedGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      if (!loop.inEventLoop()) {
        terminated.awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      }
    }
    state.set(State.CLOSED);
    log.info("node {} closed", name());
  }

  private void runOnLoopAndWait(Runnable action) {
    if (loop.inEventLoop()) {
      action.run();
      return;
    }
    try {
      loop.submit(action).awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("event loop already shut down; node {} stops with it", name());
    }
  }

  @Override
  public String toString() {
    return "MembershipService[" + name() + " @ " + advertised + ", " + state.get() + "]";
  }
}
