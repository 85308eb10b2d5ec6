package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.DropReason;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.core.membership.MembershipNode;
import io.hivemind.core.membership.MembershipOutput;
import io.hivemind.core.membership.MembershipStats;
import io.hivemind.server.logging.RateLimitedLog;
import io.hivemind.server.loop.DriverLoop;
import io.hivemind.server.membership.JoinException.SeedFailure;
import io.hivemind.server.transport.ConnectFailure;
import io.hivemind.server.transport.GossipHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link MembershipNode} on one {@link DriverLoop}: the transport's inputs and the tick
 * timer in, the node's packets and streams out to the transport, its events to the {@link
 * EventDispatcher}.
 *
 * <p>Owning thread: the driver loop, the only thread that touches the node; every method but {@link
 * #view()} and {@link #nodeErrors()} runs there. In the agent the loop is a Netty event loop on
 * which the transport registers all its channels, so its upcalls need no hop; in tests it is a
 * manual loop in virtual time. The node calls its {@link MembershipOutput} from inside a call, so
 * output only queues (events) or writes (packets; streams are opened in a later task), and events
 * are dispatched after the call returns, as the simulator's driver does.
 *
 * <p>After every call it publishes a {@link ServiceView} and keeps exactly one tick scheduled at
 * {@link MembershipNode#nextDeadlineMillis()}. Anything a call throws is logged, counted and
 * dropped at this boundary, so a bug triggered by one bad input never stops the loop.
 *
 * <p>It also keeps {@link StreamOutcomes}: why each stream the node opened failed, handed to the
 * stream-failure listener after the node has had the failure, and this node's own requests arriving
 * back at it, which are not answered (a node never exchanges state with itself).
 */
final class NodeDriver implements MembershipOutput, GossipHandler {

  private static final Logger log = LoggerFactory.getLogger(NodeDriver.class);

  /** A full member table refuses Alives at gossip's rate: one line a minute says so. */
  private static final Duration TABLE_FULL_LOG_INTERVAL = Duration.ofMinutes(1);

  private final RateLimitedLog foreign = new RateLimitedLog(log);
  private final RateLimitedLog tableFull = new RateLimitedLog(log, TABLE_FULL_LOG_INTERVAL);
  private long membersRefusedLogged;
  private static final long NO_TICK = Long.MAX_VALUE;

  private final DriverLoop loop;
  private final LongSupplier clockMillis;
  private final EventDispatcher dispatcher;
  private final StreamOutcomes outcomes;
  private final LongAdder nodeErrors = new LongAdder();
  private final List<MembershipEvent> pendingEvents = new ArrayList<>();
  private MembershipNode node;
  private NodeTransport transport;
  private boolean stopped;
  private DriverLoop.Scheduled tick;
  private long tickAtMillis = NO_TICK;
  private Consumer<SeedFailure> streamFailureListener = failure -> {};
  private volatile ServiceView view;

  NodeDriver(
      DriverLoop loop,
      LongSupplier clockMillis,
      EventDispatcher dispatcher,
      StreamOutcomes outcomes) {
    this.loop = loop;
    this.clockMillis = clockMillis;
    this.dispatcher = dispatcher;
    this.outcomes = outcomes;
  }

  /** Who hears why a stream failed (the service's joins); set before {@link #start}. */
  void onStreamFailures(Consumer<SeedFailure> listener) {
    this.streamFailureListener = listener;
  }

  /** Starts {@code node}, which sends through {@code transport}. */
  void start(MembershipNode node, NodeTransport transport) {
    this.node = node;
    this.transport = transport;
    call(n -> run(() -> n.start(now())));
  }

  /** Stops driving: no more ticks, inputs or output. The last view stays readable. */
  void stop(Throwable reasonForWaiters) {
    stopped = true;
    cancelTick();
    dispatcher.failAll(reasonForWaiters);
  }

  /**
   * Calls into the node for the service's API (join, leave, metadata); what it throws reaches the
   * caller.
   */
  <T> T call(Function<MembershipNode, T> input) {
    return call(input, false);
  }

  private <T> T call(Function<MembershipNode, T> input, boolean isTick) {
    if (node == null || stopped) {
      throw new IllegalStateException("membership service is not running");
    }
    try {
      return input.apply(node);
    } finally {
      afterCall(isTick);
    }
  }

  /** Feeds one network input to the node; never throws. */
  private <T> T deliver(Function<MembershipNode, T> input) {
    return deliver(input, false);
  }

  private <T> T deliver(Function<MembershipNode, T> input, boolean isTick) {
    if (node == null || stopped) {
      return null; // Before start or after close: the bytes have no one to go to.
    }
    try {
      return call(input, isTick);
    } catch (Throwable t) {
      // Justification: the thread root of every input. The node promises not to throw on bad
      // bytes, so this is a bug; it costs that one input, not the node.
      nodeErrors.increment();
      log.error("membership node {} failed on an input; dropped it", node.identity().name(), t);
      return null;
    }
  }

  // ---- GossipHandler: the transport's upcalls, on the loop ------------------------------------

  @Override
  public void onPacket(Address from, byte[] packet) {
    long foreignBefore = foreignDrops();
    deliver(n -> run(() -> n.onPacket(from, packet, now())));
    reportForeign(from, foreignBefore);
  }

  /**
   * Drops of a peer of another cluster, environment or protocol version so far. The node counts
   * them without a word; the driver names the peer in the log (once per peer an interval), so the
   * operator of the refusing node sees who knocked.
   */
  private long foreignDrops() {
    if (node == null) {
      return 0;
    }
    MembershipStats stats = node.stats();
    return stats.dropped(DropReason.WRONG_CLUSTER)
        + stats.dropped(DropReason.WRONG_ENVIRONMENT)
        + stats.dropped(DropReason.WRONG_VERSION);
  }

  private void reportForeign(Address from, long foreignBefore) {
    if (node != null && foreignDrops() > foreignBefore) {
      foreign.warn(
          clockMillis.getAsLong() * 1_000_000L,
          from.toString(),
          "refused gossip from {}: another cluster, environment or protocol version than this"
              + " agent's ({}, {}); hivemind_gossip_dropped_total says which",
          from,
          node.identity().cluster(),
          node.identity().environment().id());
    }
  }

  @Override
  public byte[] onStreamRequest(Address from, byte[] request) {
    if (!stopped && outcomes.isOwnRequest(request)) {
      log.debug("a stream of node {} reached itself through {}; not answered", name(), from);
      return null;
    }
    long foreignBefore = foreignDrops();
    byte[] response = deliver(n -> n.onStreamRequest(from, request, now()));
    reportForeign(from, foreignBefore);
    return response;
  }

  @Override
  public void onStreamResponse(long streamId, byte[] response) {
    if (!stopped && outcomes.isEcho(streamId, response)) {
      log.debug("stream {} of node {} connected to itself; failed", streamId, name());
      onStreamFailure(streamId);
      return;
    }
    outcomes.answered(streamId);
    deliver(n -> run(() -> n.onStreamResponse(streamId, response, now())));
  }

  @Override
  public void onStreamFailure(long streamId) {
    deliver(n -> run(() -> n.onStreamFailure(streamId, now())));
    SeedFailure failure = outcomes.failed(streamId, now(), name());
    if (failure == null || stopped) {
      return;
    }
    try {
      streamFailureListener.accept(failure);
    } catch (RuntimeException e) {
      // A bug in the listener must not reach the transport, which called us.
      log.warn("stream failure listener failed on {}", failure, e);
    }
  }

  @Override
  public void onStreamConnectFailure(long streamId, ConnectFailure failure) {
    outcomes.connectFailed(streamId, failure);
  }

  // ---- MembershipOutput: called from inside the node, so only write or queue ------------------

  @Override
  public void sendPacket(Address to, byte[] packet) {
    if (!stopped) {
      transport.sendPacket(to, packet);
    }
  }

  @Override
  public void openStream(Address to, long streamId, byte[] request) {
    if (!stopped) {
      outcomes.opened(to, streamId, request, now());
      transport.openStream(to, streamId, request);
    }
  }

  @Override
  public void onEvent(MembershipEvent event) {
    pendingEvents.add(event);
  }

  // ---- after each call ------------------------------------------------------------------------

  private void afterCall(boolean afterTick) {
    publishView(!pendingEvents.isEmpty());
    reportTableFull();
    scheduleTick(afterTick);
    List<MembershipEvent> events = List.copyOf(pendingEvents);
    pendingEvents.clear();
    events.forEach(dispatcher::dispatch);
  }

  /**
   * The core only counts Alives it refused because its table was full; the driver says so in the
   * log, since a full table usually means forged gossip (or a cluster larger than maxMembers).
   */
  private void reportTableFull() {
    long refused = node.stats().membersRefused();
    if (refused > membersRefusedLogged
        && tableFull.warn(
            clockMillis.getAsLong() * 1_000_000L,
            "table-full",
            "member table of {} is full ({} members, maxMembers {}): refused {} Alive updates about"
                + " new members; forged gossip? set encrypt_keys, or raise maxMembers for a larger"
                + " cluster",
            node.identity().name(),
            view.members().size(),
            node.config().maxMembers(),
            refused - membersRefusedLogged)) {
      membersRefusedLogged = refused;
    }
  }

  /**
   * Counters and health change with nearly every input and cost O(1) to copy; the member list costs
   * O(N), so it is copied only when an event says it changed or the local member did (a refutation
   * raises its incarnation without an event).
   */
  private void publishView(boolean membersChanged) {
    ServiceView last = view;
    Member self = node.localMember();
    List<Member> members =
        membersChanged || last == null || !self.equals(last.self())
            ? node.members()
            : last.members();
    view =
        new ServiceView(
            members,
            self,
            node.stats().copy(),
            node.localHealthScore(),
            node.isJoined(),
            node.hasLeft());
  }

  /**
   * Keeps one tick scheduled at the node's next deadline. An earlier pending tick is kept (it
   * reschedules when it fires); a later one is replaced. Right after a tick the next one is at
   * least a millisecond away: tick(now) ran every timer due by now, and ticking again at the same
   * instant could only spin.
   */
  private void scheduleTick(boolean afterTick) {
    long deadline = stopped ? NO_TICK : node.nextDeadlineMillis();
    if (deadline == NO_TICK) {
      cancelTick();
      return;
    }
    long now = now();
    long at = Math.max(deadline, afterTick ? now + 1 : now);
    if (tick != null && tickAtMillis <= at) {
      return;
    }
    cancelTick();
    tickAtMillis = at;
    tick = loop.schedule(this::onTick, at - now);
  }

  private void onTick() {
    tick = null;
    tickAtMillis = NO_TICK;
    if (node == null || stopped) {
      return;
    }
    long now = now();
    if (now >= node.nextDeadlineMillis()) {
      deliver(n -> run(() -> n.tick(now)), true);
    } else {
      deliver(n -> null); // Woken before a deadline that moved later: only reschedule.
    }
  }

  private void cancelTick() {
    if (tick != null) {
      tick.cancel();
      tick = null;
      tickAtMillis = NO_TICK;
    }
  }

  // ---- for the service ------------------------------------------------------------------------

  /** The latest published view; null before start. Any thread. */
  ServiceView view() {
    return view;
  }

  /** Inputs and ticks that threw inside the node (bugs). Any thread. */
  long nodeErrors() {
    return nodeErrors.sum();
  }

  long now() {
    return clockMillis.getAsLong();
  }

  private String name() {
    return node == null ? "?" : node.identity().name();
  }

  private static Void run(Runnable action) {
    action.run();
    return null;
  }
}
