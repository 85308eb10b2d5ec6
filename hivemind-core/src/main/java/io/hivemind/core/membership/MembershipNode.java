package io.hivemind.core.membership;

import io.hivemind.api.MemberState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * One node's membership protocol: SWIM (Das, Gupta, Motivala 2002) with the Lifeguard extensions
 * (Dadgar, Phillips, Currey 2018), as a pure state machine.
 *
 * <p>Inputs are packets, stream messages and ticks, each with the current time; outputs go to a
 * {@link MembershipOutput} (packets, stream requests, membership events). It holds no threads,
 * sockets or clocks and takes its randomness from the injected generator, so the same inputs give
 * the same outputs: the Netty driver and the deterministic simulator run this same code.
 *
 * <p>Parts: {@link Prober} (failure detection), {@link MemberUpdates} (incarnation rules and
 * suspicion), {@link AntiEntropy} (join, push-pull, reconnect), and here gossip, leave and input
 * dispatch. Received bytes are decoded once, on entry, by the node's {@link WireCodec} into checked
 * records ({@link GossipMessage}, {@link StreamMessage}); the parts never see protobuf. Bad input
 * from the network is counted by {@link DropReason} and dropped; nothing from the network throws
 * out of these methods.
 *
 * <p>Not thread-safe: one owning thread (the driver's event loop for this node) makes every call.
 * Lifecycle: NEW → {@link #start} → RUNNING → {@link #leave} → LEAVING → LEFT (after {@link
 * MembershipEvent.Type#LOCAL_LEFT}, every input is ignored).
 */
public final class MembershipNode {

  private enum Lifecycle {
    NEW,
    RUNNING,
    LEAVING,
    LEFT
  }

  /** Bounds {@link #lastToldDeadMillis}: undead members talking to us at once are few. */
  private static final int MAX_UNDEAD_TRACKED = 1024;

  private final NodeContext ctx;

  /**
   * When each undead member (DEAD to us, yet sending) was last told so. Kept beside the table, not
   * in every record, because it concerns a handful of members at most.
   */
  private final Map<String, Long> lastToldDeadMillis = new HashMap<>();

  private final MemberUpdates updates;
  private final Prober prober;
  private final AntiEntropy antiEntropy;
  private Lifecycle lifecycle = Lifecycle.NEW;

  /**
   * Creates a node that is not yet running.
   *
   * @param random the node's only source of randomness; seed it to replay a run
   */
  public MembershipNode(
      NodeIdentity identity,
      MembershipConfig config,
      RandomGenerator random,
      MembershipOutput output) {
    this.ctx =
        new NodeContext(
            Objects.requireNonNull(identity, "identity"),
            Objects.requireNonNull(config, "config"),
            Objects.requireNonNull(random, "random"),
            Objects.requireNonNull(output, "output"));
    this.updates = new MemberUpdates(ctx);
    this.prober = new Prober(ctx, updates);
    this.antiEntropy = new AntiEntropy(ctx, updates);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Starts probing, gossip and anti-entropy. A started node without seeds is a cluster of one. */
  public void start(long nowMillis) {
    if (lifecycle != Lifecycle.NEW) {
      throw new IllegalStateException("node " + ctx.name() + " already started");
    }
    ctx.now = nowMillis;
    lifecycle = Lifecycle.RUNNING;
    ctx.self.stateChangeMillis = nowMillis;
    ctx.broadcast(ctx.name(), new GossipMessage.Alive(ctx.self.gossip()));
    prober.start();
    scheduleGossip(nowMillis + ctx.random.nextLong(ctx.config.gossipInterval().toMillis() + 1));
    antiEntropy.start();
  }

  /**
   * Joins the cluster through {@code seeds} (any members): a full-state exchange with each, retried
   * with exponential back-off until one answers ({@link MembershipEvent.Type#LOCAL_JOINED}).
   */
  public void join(List<Address> seeds, long nowMillis) {
    requireRunning("join");
    ctx.now = nowMillis;
    antiEntropy.join(List.copyOf(seeds));
  }

  /**
   * Leaves gracefully: gossips LEFT, keeps gossiping until the update has been sent as often as any
   * other (or {@code leavePropagateTimeout} passes), then emits {@link
   * MembershipEvent.Type#LOCAL_LEFT}. The driver stops the node after that event.
   */
  public void leave(long nowMillis) {
    if (lifecycle != Lifecycle.RUNNING) {
      return;
    }
    ctx.now = nowMillis;
    lifecycle = Lifecycle.LEAVING;
    ctx.leaving = true;
    prober.stop();
    ctx.table.setState(ctx.self, MemberState.LEFT, nowMillis);
    boolean alone = ctx.table.activeCount() == 0;
    ctx.broadcast(
        ctx.name(), new GossipMessage.Left(ctx.name(), ctx.self.incarnation), this::leaveComplete);
    ctx.timers.schedule(
        nowMillis + ctx.config.leavePropagateTimeout().toMillis(), this::leaveComplete);
    if (alone) {
      leaveComplete();
    }
  }

  private void leaveComplete() {
    if (lifecycle != Lifecycle.LEAVING) {
      return;
    }
    lifecycle = Lifecycle.LEFT;
    ctx.timers.clear();
    ctx.emit(MembershipEvent.Type.LOCAL_LEFT, ctx.self);
  }

  /** Announces new roles, tags or zone with a higher incarnation. */
  public void updateMeta(Set<String> roles, Map<String, String> tags, String zone, long nowMillis) {
    requireRunning("update metadata");
    ctx.now = nowMillis;
    NodeIdentity checked = ctx.identity.withMeta(roles, tags, zone);
    ctx.self.setMeta(checked.roles(), checked.tags(), checked.zone());
    updates.announceSelf();
  }

  /**
   * Applies a removal the control plane committed (issue 10): {@code name} is marked DEAD (or LEFT
   * when {@code left}) at {@code incarnation} and the change is gossiped, unless this node already
   * knows the member at a higher incarnation. When {@code name} is the local node, it refutes and
   * emits {@link MembershipEvent.Type#LOCAL_DECLARED_DEAD}, as when gossip declares it dead, so the
   * layers above drop their state and rejoin.
   *
   * @return whether this node's view changed (false for an unknown member, a stale decision, or a
   *     member already DEAD or LEFT)
   */
  public boolean applyCommittedRemoval(
      String name, long incarnation, boolean left, long nowMillis) {
    Objects.requireNonNull(name, "name");
    if (!isLive() || ctx.leaving) {
      return false;
    }
    ctx.now = nowMillis;
    return updates.committedRemoval(name, incarnation, left);
  }

  // ---- inputs ---------------------------------------------------------------------------------

  /** Runs every timer due at {@code nowMillis}. */
  public void tick(long nowMillis) {
    if (!isLive()) {
      return;
    }
    ctx.now = nowMillis;
    ctx.timers.runDue(nowMillis);
  }

  /** When the driver must call {@link #tick} next; {@link Long#MAX_VALUE} if never. */
  public long nextDeadlineMillis() {
    return isLive() ? ctx.timers.nextDeadline() : Long.MAX_VALUE;
  }

  /** Handles one datagram. Bad bytes are counted and dropped; this never throws. */
  public void onPacket(Address from, byte[] packet, long nowMillis) {
    if (!isLive()) {
      return;
    }
    ctx.now = nowMillis;
    ctx.stats.packetsReceived++;
    ctx.stats.bytesReceived += packet.length;
    DecodedPacket decoded;
    try {
      decoded = ctx.codec.decodePacket(packet);
    } catch (WireException e) {
      ctx.stats.countDrop(e.reason());
      return;
    }
    for (GossipMessage message : decoded.messages()) {
      handle(message, from);
    }
    ctx.stats.countDrops(DropReason.INVALID, decoded.invalidMessages());
    if (decoded.cutShort()) {
      return; // A packet carrying a broken message says nothing we act on about its sender.
    }
    // After the messages: the packet may carry the sender's own refutation, or its Alive.
    String sender = decoded.sender();
    tellIfUndead(sender, from);
    NodeState node = ctx.table.get(sender);
    if (node == null) {
      antiEntropy.onUnknownSender(sender, from);
    } else if (node.isActive() && node.hasAddress(from)) {
      // It spoke to us from its own address: it exists (a made-up member never does).
      ctx.table.confirm(node);
    }
  }

  private void handle(GossipMessage message, Address from) {
    // Most frequent kinds first: gossip packets carry mostly Alive, probes Ping and Ack.
    if (message instanceof GossipMessage.Alive alive) {
      updates.alive(alive.member(), true);
    } else if (message instanceof GossipMessage.Ping ping) {
      prober.onPing(ping, from);
    } else if (message instanceof GossipMessage.Ack ack) {
      prober.onAck(ack.seq());
    } else if (message instanceof GossipMessage.Suspect suspect) {
      NodeState subject = ctx.table.get(suspect.name());
      boolean wasSuspect = subject != null && subject.state == MemberState.SUSPECT;
      updates.suspect(suspect.name(), suspect.incarnation(), suspect.from(), true);
      if (!wasSuspect) {
        prober.confirmSuspicion(suspect.name());
      }
    } else if (message instanceof GossipMessage.Dead dead) {
      updates.dead(dead.name(), dead.incarnation(), dead.from(), true);
    } else if (message instanceof GossipMessage.Left left) {
      updates.left(left.name(), left.incarnation(), true);
    } else if (message instanceof GossipMessage.IndirectPing request) {
      prober.onIndirectPing(request, from);
    } else if (message instanceof GossipMessage.Nack nack) {
      prober.onNack(nack.seq());
    }
  }

  /**
   * A member we declared DEAD still talks to us: tell it so (seed 003, "undead" nodes), at most
   * once a probe interval, so it refutes and rejoins instead of living in a split view.
   */
  private void tellIfUndead(String sender, Address from) {
    NodeState node = ctx.table.get(sender);
    long interval = ctx.config.probeInterval().toMillis();
    if (node == null || node.state != MemberState.DEAD) {
      return;
    }
    Long lastTold = lastToldDeadMillis.get(node.name);
    if (lastTold != null && ctx.now - lastTold < interval) {
      return;
    }
    if (lastToldDeadMillis.size() >= MAX_UNDEAD_TRACKED) {
      // Forgetting only means an undead member may be told once more within an interval.
      lastToldDeadMillis.clear();
    }
    lastToldDeadMillis.put(node.name, ctx.now);
    ctx.sendAlone(from, new GossipMessage.Dead(node.name, node.incarnation, ctx.name()));
  }

  /**
   * Answers one stream request (push-pull or stream ping).
   *
   * @return the response, or null to close the stream without one (bad or unwanted request)
   */
  public byte[] onStreamRequest(Address from, byte[] request, long nowMillis) {
    if (!isLive()) {
      return null;
    }
    ctx.now = nowMillis;
    ctx.stats.streamBytesReceived += request.length;
    DecodedFrame frame;
    try {
      frame = ctx.codec.decodeFrame(request);
    } catch (WireException e) {
      ctx.stats.countDrop(e.reason());
      return null;
    }
    byte[] response = answer(frame);
    if (response != null) {
      ctx.stats.streamBytesSent += response.length;
    }
    return response;
  }

  private byte[] answer(DecodedFrame request) {
    if (request.body() instanceof StreamMessage.PushPull state) {
      return ctx.leaving ? null : antiEntropy.answer(state, request.sender());
    }
    if (request.body() instanceof GossipMessage.Ping ping) {
      return prober.answerStreamPing(ping);
    }
    ctx.stats.countDrop(DropReason.INVALID); // an Ack or nothing: not a request
    return null;
  }

  /** The response to a stream this node opened. */
  public void onStreamResponse(long streamId, byte[] response, long nowMillis) {
    if (!isLive()) {
      return;
    }
    ctx.now = nowMillis;
    ctx.stats.streamBytesReceived += response.length;
    DecodedFrame frame;
    try {
      frame = ctx.codec.decodeFrame(response);
    } catch (WireException e) {
      ctx.stats.countDrop(e.reason());
      onStreamFailure(streamId, nowMillis);
      return;
    }
    if (antiEntropy.ownsStream(streamId)) {
      antiEntropy.onResponse(streamId, frame);
    } else {
      prober.onFallbackResponse(streamId, frame.body());
    }
  }

  /** A stream this node opened failed (refused, reset, timed out). */
  public void onStreamFailure(long streamId, long nowMillis) {
    if (!isLive()) {
      return;
    }
    ctx.now = nowMillis;
    if (antiEntropy.ownsStream(streamId)) {
      antiEntropy.onFailure(streamId);
    } else {
      prober.onFallbackFailure(streamId);
    }
  }

  // ---- gossip ---------------------------------------------------------------------------------

  private void scheduleGossip(long at) {
    ctx.timers.schedule(at, this::gossip);
  }

  /**
   * One gossip round (memberlist {@code gossip}): send pending updates to {@code gossipNodes}
   * random members, including members declared dead within {@code gossipToTheDeadTime} so a wrongly
   * declared member hears it and refutes. Rounds with nothing to say send nothing.
   */
  private void gossip() {
    scheduleGossip(ctx.now + ctx.config.gossipInterval().toMillis());
    if (ctx.broadcasts.isEmpty()) {
      return;
    }
    long deadline = ctx.now - ctx.config.gossipToTheDeadTime().toMillis();
    Predicate<NodeState> target =
        m ->
            m != ctx.self
                && (m.isActive()
                    || (m.state == MemberState.DEAD && m.stateChangeMillis > deadline));
    // All but one target among members that answered us, so forged members cannot swallow our
    // gossip; one among all, so members we have not heard from yet (newcomers) still hear it.
    int count = ctx.config.gossipNodes();
    List<NodeState> targets = ctx.table.randomConfirmedFirst(count - 1, target);
    targets.addAll(ctx.table.randomMembers(1, m -> target.test(m) && !targets.contains(m)));
    int room = ctx.config.maxPacketSize() - ctx.codec.packetOverhead();
    for (NodeState to : targets) {
      List<EncodedMessage> messages = ctx.broadcasts.take(room, ctx.retransmitLimit());
      if (messages.isEmpty()) {
        return;
      }
      ctx.sendPacket(to.address(), messages);
    }
  }

  // ---- views ----------------------------------------------------------------------------------

  /** Every member this node knows, itself included, DEAD and LEFT ones until reaped. */
  public List<Member> members() {
    List<Member> members = new ArrayList<>(ctx.table.size());
    for (NodeState node : ctx.table.all()) {
      members.add(ctx.snapshot(node));
    }
    return members;
  }

  /** One member by name. */
  public Optional<Member> member(String name) {
    NodeState node = ctx.table.get(name);
    return node == null ? Optional.empty() : Optional.of(ctx.snapshot(node));
  }

  /** This node as the cluster should see it. */
  public Member localMember() {
    return ctx.snapshot(ctx.self);
  }

  /** Members alive or suspect, this node included. */
  public int activeMembers() {
    return ctx.table.activeCount();
  }

  /** Lifeguard's local health score: 0 is healthy; probes stretch by score + 1. */
  public int localHealthScore() {
    return ctx.health.score();
  }

  /** True once a seed has answered a join. */
  public boolean isJoined() {
    return antiEntropy.isJoined();
  }

  /** True once a graceful leave has completed. */
  public boolean hasLeft() {
    return lifecycle == Lifecycle.LEFT;
  }

  /** Updates waiting to be gossiped. */
  public int pendingBroadcasts() {
    return ctx.broadcasts.size();
  }

  public MembershipStats stats() {
    return ctx.stats;
  }

  public MembershipConfig config() {
    return ctx.config;
  }

  public NodeIdentity identity() {
    return ctx.identity;
  }

  private boolean isLive() {
    return lifecycle == Lifecycle.RUNNING || lifecycle == Lifecycle.LEAVING;
  }

  private void requireRunning(String what) {
    if (lifecycle != Lifecycle.RUNNING) {
      throw new IllegalStateException(
          "cannot " + what + ": node " + ctx.name() + " is " + lifecycle);
    }
  }
}
