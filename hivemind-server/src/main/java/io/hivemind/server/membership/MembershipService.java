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
 * #leave} leaves the cluster gracefully (LEAVING → LEFT) and the node falls silent: a node that
 * left never joins or changes again (such calls fail with {@link NodeLeftException}), only its last
 * view stays readable; {@link #close} stops it abruptly, as a crash looks to the others (CLOSING →
 * CLOSED).
 */
public final class MembershipService implements AutoCloseable {

  /** Where the service is in its life. */
  public enum State {
    RUNNING,
    /** {@link #leave} was called: LEFT is being announced; joins and changes are refused. */
    LEAVING,
    /** The leave has completed; the node is silent until {@link #close}. */
    LEFT,
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
    dispatcher.addListener(this::onEvent);
  }

  private void onEvent(MembershipEvent event) {
    if (event.type() == MembershipEvent.Type.LOCAL_LEFT) {
      state.compareAndSet(State.LEAVING, State.LEFT);
    }
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
    StreamOutcomes outcomes = new StreamOutcomes(config.membership().streamTimeout());
    NodeDriver driver = new NodeDriver(wiring.loop(), config.clockMillis(), dispatcher, outcomes);
    SeedResolver resolver = new SeedResolver(config.hostResolver(), wiring.resolverExecutor());
    Joins joins = new Joins(wiring.loop(), driver, resolver, config.membership());
    driver.onStreamFailures(joins::onStreamFailure);
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
  /**
   * The loop the node runs on; light work tied to membership (following the control plane's feed)
   * may share it.
   */
  public DriverLoop loop() {
    return loop;
  }

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
   * Joins the cluster through the seeds this node was configured with (any members; host names are
   * looked up off the loop, and looked up again with back-off while they do not resolve), retrying
   * with back-off capped at {@code joinRetryMax} until one answers. Completes when a seed has
   * answered, or at once when no seed but this node is given (it is then a cluster of one; a seed
   * found to reach this node through another address is dropped the same way). Completes
   * exceptionally with a {@link JoinException} saying what became of each seed if none answered
   * within {@code timeout}; the node keeps retrying regardless ({@link JoinException#retrying()}),
   * and a later success still emits {@code LOCAL_JOINED}.
   *
   * <p>Cancelling the returned future before it completes cancels the join: the node makes no new
   * attempt through these seeds (an exchange already on its way may still answer). If an earlier
   * configured join is still waiting, the node goes back to retrying its seeds.
   *
   * @throws NodeLeftException (through the future) once the node is leaving or has left
   */
  public CompletableFuture<Void> join(List<Address> seeds, Duration timeout) {
    return startJoin(seeds, Objects.requireNonNull(timeout, "timeout"), false);
  }

  /** {@link #joinOnce(List, Duration)} with the configured join timeout. */
  public CompletableFuture<Void> joinOnce(List<Address> seeds) {
    return joinOnce(seeds, config.joinTimeout());
  }

  /**
   * Joins once through {@code seeds}, as a person asks for (the HTTP API, the CLI): each seed is
   * tried once, and the join ends at the first answer, as soon as every seed has failed, or after
   * {@code timeout}; nothing is retried afterwards. A refusal, a seed that is this node itself, a
   * seed that closes the connection without answering and a name that does not resolve are all
   * known at once, so a join through such seeds fails at once; only a silent seed is waited for.
   * Fails with a {@link JoinException} saying what became of each seed ({@link
   * JoinException#retrying()} is false).
   *
   * <p>Cancelling the returned future ends the join sooner (the HTTP API does so when its own
   * timeout passes); an exchange already on its way may still answer.
   *
   * @throws IllegalArgumentException when {@code seeds} is empty
   * @throws NodeLeftException (through the future) once the node is leaving or has left
   */
  public CompletableFuture<Void> joinOnce(List<Address> seeds, Duration timeout) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("a join needs at least one seed");
    }
    return startJoin(seeds, Objects.requireNonNull(timeout, "timeout"), true);
  }

  private CompletableFuture<Void> startJoin(List<Address> seeds, Duration timeout, boolean once) {
    List<Address> seedList = List.copyOf(seeds);
    CompletableFuture<Void> joined = new CompletableFuture<>();
    onLoop(
        joined,
        () -> {
          if (state.get() == State.RUNNING) {
            joins.start(seedList, timeout, once, joined);
          } else {
            joined.completeExceptionally(notRunning()); // A leave overtook it on its way here.
          }
        });
    return joined;
  }

  /**
   * Leaves gracefully: the node announces LEFT and completes the future once that has spread (or
   * the core's leave timeout passed). The node then stays silent until {@link #close}. From the
   * call on, joins and changes are refused with a {@link NodeLeftException} (joins still waiting
   * fail with it): a leave is the end of the node's life. Leaving again completes with the first
   * leave, or at once once it has completed, even after {@link #close}.
   */
  public CompletableFuture<Void> leave() {
    CompletableFuture<Void> left = new CompletableFuture<>();
    State before = state.getAndUpdate(s -> s == State.RUNNING ? State.LEAVING : s);
    if (before == State.CLOSING || before == State.CLOSED) {
      if (hasLeft()) {
        left.complete(null);
      } else {
        left.completeExceptionally(closed());
      }
      return left;
    }
    execute(
        left,
        () -> {
          if (before == State.RUNNING) {
            joins.failAll(new NodeLeftException(name()));
          }
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

  /**
   * Applies a removal the control plane committed: {@code name} becomes DEAD (LEFT when {@code
   * left}) here and the change is gossiped, unless a higher incarnation than {@code incarnation} is
   * already known. Completes with whether the view changed.
   */
  public CompletableFuture<Boolean> applyCommittedRemoval(
      String name, long incarnation, boolean left) {
    CompletableFuture<Boolean> applied = new CompletableFuture<>();
    onLoop(
        applied,
        () -> {
          boolean[] changed = new boolean[1];
          driver.call(
              node ->
                  run(
                      () ->
                          changed[0] =
                              node.applyCommittedRemoval(name, incarnation, left, driver.now())));
          applied.complete(changed[0]);
        });
    return applied;
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
   * service is not running (leaving, left or closed). Always a fresh task, even on the loop: a
   * listener calling back in must not run inside the dispatch of the event it is handling.
   */
  private void onLoop(CompletableFuture<?> future, Runnable action) {
    if (state.get() != State.RUNNING) {
      future.completeExceptionally(notRunning());
      return;
    }
    execute(future, action);
  }

  private IllegalStateException notRunning() {
    State now = state.get();
    return now == State.LEAVING || now == State.LEFT ? new NodeLeftException(name()) : closed();
  }

  private void execute(CompletableFuture<?> future, Runnable action) {
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
    State before =
        state.getAndUpdate(s -> s == State.CLOSING || s == State.CLOSED ? s : State.CLOSING);
    if (before == State.CLOSING || before == State.CLOSED) {
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
