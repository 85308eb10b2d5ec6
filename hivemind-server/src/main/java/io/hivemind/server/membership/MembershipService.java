package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.core.membership.MembershipNode;
import io.hivemind.core.membership.MembershipStats;
import io.hivemind.server.loop.DriverLoop;
import io.hivemind.server.transport.GossipKeyring;
import io.hivemind.server.transport.GossipLoops;
import io.hivemind.server.transport.TransportStats;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster member on the real network: a {@link MembershipNode} driven over a gossip transport.
 *
 * <p>Owning thread: one {@link DriverLoop} (a Netty event loop in the agent), the only thread that
 * ever touches the node (the core is single-threaded by design and takes no locks). Several
 * services may share one {@link GossipLoops} group (tests, {@code hivemind dev --nodes 3}); each
 * takes one loop of it. Every public method is thread-safe: reads come from an immutable view the
 * loop publishes after each change (no locks), and operations hop onto the loop and answer with a
 * future. Seed host names are looked up on a resolver thread of the service's own, never on the
 * loop.
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

  /**
   * What a service runs on and talks through: in the agent a Netty loop, the gossip sockets and a
   * resolver thread; in tests a manual loop, an in-memory network and a seeded random.
   *
   * @param binder binds the transport for the driver; it must deliver on {@code loop}
   * @param resolverExecutor where seed host names are looked up, off {@code loop}
   * @param afterClose releases what the service owns besides the transport (its own loops, the
   *     resolver thread), after the transport has closed
   */
  record Wiring(
      DriverLoop loop,
      NodeTransport.Binder binder,
      Executor resolverExecutor,
      RandomGenerator random,
      Runnable afterClose) {}

  private final MembershipServiceConfig config;
  private final DriverLoop loop;
  private final NodeDriver driver;
  private final EventDispatcher dispatcher;
  private final Joins joins;
  private final NodeTransport transport;
  private final Address advertised;
  private final Runnable afterClose;
  private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

  private MembershipService(
      MembershipServiceConfig config,
      Wiring wiring,
      NodeDriver driver,
      EventDispatcher dispatcher,
      Joins joins,
      NodeTransport transport,
      Address advertised) {
    this.config = config;
    this.loop = wiring.loop();
    this.afterClose = wiring.afterClose();
    this.driver = driver;
    this.dispatcher = dispatcher;
    this.joins = joins;
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
    GossipLoops loops = GossipLoops.create(1, "gossip-" + config.nodeName());
    try {
      return start(config, loops, loops);
    } catch (RuntimeException e) {
      loops.close();
      throw e;
    }
  }

  /**
   * Binds the gossip port and starts a node on one loop of {@code loops}. The caller keeps owning
   * the loops and closes them after closing every service on them. Null means a loop of its own, as
   * {@link #start(MembershipServiceConfig)}.
   */
  public static MembershipService start(MembershipServiceConfig config, GossipLoops loops) {
    return loops == null ? start(config) : start(config, loops, null);
  }

  private static MembershipService start(
      MembershipServiceConfig config, GossipLoops loops, GossipLoops ownedLoops) {
    Objects.requireNonNull(config, "config");
    DriverLoop loop = loops.next();
    ExecutorService resolverThread = SeedResolver.newResolverThread(config.nodeName());
    NodeTransport.Binder binder =
        handler ->
            new GossipNodeTransport(
                loops.bind(config.transport(), config.keyring().orElse(null), loop, handler));
    Runnable afterClose =
        () -> {
          resolverThread.shutdownNow();
          if (ownedLoops != null) {
            ownedLoops.close();
          }
        };
    RandomGenerator random = new SplittableRandom(new SecureRandom().nextLong());
    try {
      return start(config, new Wiring(loop, binder, resolverThread, random, afterClose));
    } catch (RuntimeException e) {
      resolverThread.shutdownNow();
      throw e;
    }
  }

  /** Starts a node wired as {@code wiring} says (the agent's wiring above; tests bring theirs). */
  static MembershipService start(MembershipServiceConfig config, Wiring wiring) {
    EventDispatcher dispatcher = new EventDispatcher();
    NodeDriver driver = new NodeDriver(wiring.loop(), config.clockMillis(), dispatcher);
    SeedResolver resolver = new SeedResolver(config.hostResolver(), wiring.resolverExecutor());
    Joins joins = new Joins(wiring.loop(), driver, resolver, config.membership());
    dispatcher.addListener(joins::onEvent); // first: joins complete before other listeners run
    NodeTransport transport = wiring.binder().bind(driver);
    try {
      Address advertised = AdvertiseAddress.choose(config, transport.port());
      MembershipNode node =
          new MembershipNode(
              config.identity(advertised), config.membership(), wiring.random(), driver);
      // Handing the node over through the loop's queue also publishes it safely to that thread.
      startOnLoop(wiring.loop(), () -> driver.start(node, transport));
      log.info("node {} started, advertising {}", config.nodeName(), advertised);
      return new MembershipService(
          config, wiring, driver, dispatcher, joins, transport, advertised);
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  private static void startOnLoop(DriverLoop loop, Runnable action) {
    if (loop.inLoop()) {
      action.run();
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(() -> complete(done, action));
    try {
      done.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private static void complete(CompletableFuture<Void> done, Runnable action) {
    try {
      action.run();
      done.complete(null);
    } catch (RuntimeException | Error e) {
      done.completeExceptionally(e);
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
   * Joins the cluster through {@code seeds} (any members; host names are looked up off the loop,
   * and looked up again with back-off while they do not resolve). Completes when a seed has
   * answered, or at once when no seed but this node is given (it is then a cluster of one).
   * Completes exceptionally with a {@link JoinException} if none answered within {@code timeout};
   * the node keeps retrying with back-off regardless, and a later success still emits {@code
   * LOCAL_JOINED}.
   *
   * <p>Cancelling the returned future before it completes cancels the join: the node makes no new
   * attempt through these seeds (an exchange already on its way may still answer). If an earlier
   * join is still waiting, the node goes back to retrying its seeds.
   */
  public CompletableFuture<Void> join(List<Address> seeds, Duration timeout) {
    return startJoin(seeds, Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * Joins as {@link #join(List, Duration)}, but the future never times out: it completes when a
   * seed answers, and the caller bounds the wait by cancelling it, which cancels the join (the HTTP
   * API does so when its own timeout passes).
   */
  public CompletableFuture<Void> joinUntilCancelled(List<Address> seeds) {
    return startJoin(seeds, null);
  }

  private CompletableFuture<Void> startJoin(List<Address> seeds, Duration timeout) {
    List<Address> seedList = List.copyOf(seeds);
    CompletableFuture<Void> joined = new CompletableFuture<>();
    onLoop(joined, () -> joins.start(seedList, timeout, joined));
    return joined;
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
    runOnLoopAndWait(
        () -> {
          IllegalStateException reason = closed();
          driver.stop(reason);
          joins.failAll(reason);
        });
    transport.close();
    afterClose.run();
    state.set(State.CLOSED);
    log.info("node {} closed", name());
  }

  private void runOnLoopAndWait(Runnable action) {
    if (loop.inLoop()) {
      action.run();
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      loop.execute(() -> complete(done, action));
      done.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("event loop already shut down; node {} stops with it", name());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("node {} did not stop cleanly on its loop: {}", name(), e.toString());
    }
  }

  @Override
  public String toString() {
    return "MembershipService[" + name() + " @ " + advertised + ", " + state.get() + "]";
  }
}
