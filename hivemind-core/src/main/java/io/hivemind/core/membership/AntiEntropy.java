package io.hivemind.core.membership;

import io.hivemind.api.MemberState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Full-state exchange over a stream (push-pull, memberlist {@code pushPullNode}): joining through
 * seeds, periodic anti-entropy with a random member, and reconnection attempts towards DEAD members
 * so that the two sides of a healed partition find each other again (as Serf's reconnect).
 *
 * <p>Merging follows memberlist's {@code mergeState}: remote ALIVE is an Alive update, remote LEFT
 * a Left update, and remote SUSPECT or DEAD only a Suspect update, so a member one side believes
 * dead gets the chance to refute instead of being buried on hearsay.
 *
 * <p>Joining retries with exponential back-off capped at {@code joinRetryMax} until one seed
 * answers.
 *
 * <p>Owned by the node's thread.
 */
final class AntiEntropy {

  private enum Purpose {
    JOIN,
    SYNC,
    /** The exchange that follows a join, to fill the gaps the seed's view had. */
    CATCH_UP,
    /** A stream ping to a DEAD member; only if it answers does a full exchange follow. */
    RECONNECT_PROBE,
    /** An exchange with a member that talked to us while we still had not heard of it. */
    REPAIR
  }

  /**
   * Unknown senders waiting for their repair check. Bounded: in a join storm many members are
   * briefly unknown, and one exchange each would be a storm of its own; a gap missed here is still
   * caught by a later packet or by the periodic push-pull.
   */
  static final int MAX_PENDING_REPAIRS = 8;

  /**
   * When the first catch-up still brought members we did not know, we joined in a storm (many
   * members joining at once): the first catch-up came while the storm's other joins were still on
   * their way to our peer, so a second one follows this many probe periods later. One more exchange
   * per join, and only in storms.
   */
  static final int SECOND_CATCH_UP_PROBE_PERIODS = 2;

  private final NodeContext ctx;
  private final MemberUpdates updates;
  private final Map<Long, Purpose> streams = new HashMap<>();
  private final Map<Long, TimerQueue.Timer> streamTimeouts = new HashMap<>();
  private final Map<Long, Address> reconnectTargets = new HashMap<>();
  private final Map<String, TimerQueue.Timer> pendingRepairs = new HashMap<>();
  private boolean secondCatchUpScheduled;
  private List<Address> seeds = List.of();
  private boolean joined;
  private int joinAttemptsInFlight;
  private long joinBackoffMillis;
  private TimerQueue.Timer joinRetry;

  AntiEntropy(NodeContext ctx, MemberUpdates updates) {
    this.ctx = ctx;
    this.updates = updates;
  }

  void start() {
    long base = ctx.config.pushPullInterval().toMillis();
    ctx.timers.schedule(ctx.now + ctx.random.nextLong(base) + 1, this::periodicSync);
    long reconnect = ctx.config.reconnectInterval().toMillis();
    ctx.timers.schedule(ctx.now + ctx.random.nextLong(reconnect) + 1, this::reconnect);
  }

  // ---- join -----------------------------------------------------------------------------------

  void join(List<Address> seedAddresses) {
    seeds = seedAddresses.stream().filter(a -> !a.equals(ctx.identity.address())).toList();
    joined = false;
    joinBackoffMillis = ctx.config.joinRetryInitial().toMillis();
    attemptJoin();
  }

  boolean isJoined() {
    return joined;
  }

  private void attemptJoin() {
    joinRetry = null;
    if (joined || ctx.leaving || seeds.isEmpty()) {
      return;
    }
    for (Address seed : seeds) {
      joinAttemptsInFlight++;
      exchange(seed, Purpose.JOIN);
    }
  }

  private void joinAttemptFailed() {
    joinAttemptsInFlight--;
    if (joined || joinAttemptsInFlight > 0 || joinRetry != null) {
      return;
    }
    long delay = joinBackoffMillis;
    joinBackoffMillis = Math.min(joinBackoffMillis * 2, ctx.config.joinRetryMax().toMillis());
    joinRetry = ctx.timers.schedule(ctx.now + delay, this::attemptJoin);
  }

  /**
   * One more full exchange, with a random member, once the updates that were in flight when we
   * joined have had time to spread (a retransmit limit's worth of gossip rounds). The seed may not
   * have heard of members that joined just before us, and their gossip was mostly sent before
   * anyone knew of us; without this, such gaps wait for the periodic push-pull.
   */
  private void scheduleCatchUp() {
    scheduleCatchUp(ctx.retransmitLimit() * ctx.config.gossipInterval().toMillis());
  }

  private void scheduleCatchUp(long delay) {
    ctx.timers.schedule(
        ctx.now + delay,
        () -> {
          if (!ctx.leaving) {
            exchangeWithRandomPeer(Purpose.CATCH_UP);
          }
        });
  }

  // ---- repair ---------------------------------------------------------------------------------

  /**
   * A member we have never heard of sent us a packet: it knows us, we do not know it, so
   * dissemination left a gap (infection-style gossip reaches each member with high probability, not
   * certainty: after a join storm a few (observer, member) pairs stay unheard, and the periodic
   * push-pull, stretched with N, would take minutes to find them). Gossip may still be on its way,
   * so wait one retransmit limit's worth of gossip rounds; if the sender is still unknown then,
   * exchange full state with it. Both sides' gaps close and what is new is re-gossiped. Costs
   * nothing while views agree: a known sender is never checked.
   */
  void onUnknownSender(String name, Address from) {
    if (ctx.leaving
        || pendingRepairs.containsKey(name)
        || pendingRepairs.size() >= MAX_PENDING_REPAIRS) {
      return;
    }
    long delay = ctx.retransmitLimit() * ctx.config.gossipInterval().toMillis();
    pendingRepairs.put(
        name,
        ctx.timers.schedule(
            ctx.now + delay,
            () -> {
              pendingRepairs.remove(name);
              if (!ctx.leaving && ctx.table.get(name) == null) {
                exchange(from, Purpose.REPAIR);
              }
            }));
  }

  // ---- periodic -------------------------------------------------------------------------------

  /**
   * Runs every base {@code pushPullInterval} and exchanges with probability base / {@link
   * MembershipConfig#pushPullIntervalMillis(int)} for the current N: the same mean period as a
   * stretched timer, but it follows N as the cluster grows instead of keeping the period chosen
   * when the node started alone.
   */
  private void periodicSync() {
    long base = ctx.config.pushPullInterval().toMillis();
    ctx.timers.schedule(ctx.now + base, this::periodicSync);
    double chance = (double) base / ctx.config.pushPullIntervalMillis(ctx.table.activeCount());
    if (ctx.leaving || ctx.random.nextDouble() >= chance) {
      return;
    }
    exchangeWithRandomPeer(Purpose.SYNC);
  }

  private void exchangeWithRandomPeer(Purpose purpose) {
    List<NodeState> peer =
        ctx.table.randomConfirmedFirst(1, m -> m.state == MemberState.ALIVE && m != ctx.self);
    if (!peer.isEmpty()) {
      exchange(peer.get(0).address(), purpose);
    }
  }

  /**
   * Every {@code reconnectInterval}, pings one random DEAD member over a stream; a member that
   * answers gets a full exchange, which starts the refutations that merge a healed partition. The
   * ping first keeps the common case (the member really is dead) to a few bytes instead of a full
   * table.
   */
  private void reconnect() {
    ctx.timers.schedule(ctx.now + ctx.config.reconnectInterval().toMillis(), this::reconnect);
    if (ctx.leaving) {
      return;
    }
    List<NodeState> dead = new ArrayList<>();
    for (NodeState node : ctx.table.all()) {
      if (node.state == MemberState.DEAD) {
        dead.add(node);
      }
    }
    if (dead.isEmpty()) {
      return;
    }
    NodeState target = dead.get(ctx.random.nextInt(dead.size()));
    long streamId =
        open(target.address(), Purpose.RECONNECT_PROBE, new GossipMessage.Ping(0, target.name));
    reconnectTargets.put(streamId, target.address());
  }

  // ---- exchange -------------------------------------------------------------------------------

  private void exchange(Address peer, Purpose purpose) {
    open(peer, purpose, localState(purpose == Purpose.JOIN));
  }

  private long open(Address peer, Purpose purpose, StreamMessage request) {
    long streamId = ctx.nextStreamId();
    streams.put(streamId, purpose);
    streamTimeouts.put(
        streamId,
        ctx.timers.schedule(
            ctx.now + ctx.config.streamTimeout().toMillis(), () -> onFailure(streamId)));
    ctx.openStream(peer, streamId, ctx.codec.frame(request));
    return streamId;
  }

  boolean ownsStream(long streamId) {
    return streams.containsKey(streamId);
  }

  /** A peer's state arrived in answer to our exchange. */
  void onResponse(long streamId, DecodedFrame frame) {
    Address reconnectTarget = reconnectTargets.get(streamId);
    Purpose purpose = finish(streamId);
    if (purpose == null) {
      return;
    }
    if (purpose == Purpose.RECONNECT_PROBE) {
      if (frame.body() instanceof GossipMessage.Ack && reconnectTarget != null) {
        exchange(reconnectTarget, Purpose.SYNC);
      }
      return;
    }
    if (!(frame.body() instanceof StreamMessage.PushPull state)) {
      failed(purpose);
      return;
    }
    // A joiner learns the seed's view but does not re-gossip it: the cluster already knows most of
    // it, and a join storm would otherwise double its messages. The catch-up exchange does
    // re-gossip: by then the joiner knows what the seed knew, so only the gaps are news.
    int known = ctx.table.size();
    merge(state, frame.sender(), purpose != Purpose.JOIN);
    if (purpose == Purpose.CATCH_UP && ctx.table.size() > known && !secondCatchUpScheduled) {
      secondCatchUpScheduled = true;
      scheduleCatchUp(SECOND_CATCH_UP_PROBE_PERIODS * ctx.config.probeInterval().toMillis());
    }
    if (purpose == Purpose.JOIN) {
      joinAttemptsInFlight--;
      if (!joined) {
        joined = true;
        if (joinRetry != null) {
          joinRetry.cancel();
          joinRetry = null;
        }
        ctx.emit(MembershipEvent.Type.LOCAL_JOINED, ctx.self);
        scheduleCatchUp();
      }
    }
  }

  void onFailure(long streamId) {
    Purpose purpose = finish(streamId);
    if (purpose != null) {
      failed(purpose);
    }
  }

  private void failed(Purpose purpose) {
    if (purpose == Purpose.JOIN) {
      joinAttemptFailed();
    }
  }

  private Purpose finish(long streamId) {
    TimerQueue.Timer timeout = streamTimeouts.remove(streamId);
    if (timeout != null) {
      timeout.cancel();
    }
    if (streams.get(streamId) == Purpose.RECONNECT_PROBE) {
      reconnectTargets.remove(streamId);
    }
    return streams.remove(streamId);
  }

  /** A peer opened an exchange: answer with our state as it was, then merge theirs. */
  byte[] answer(StreamMessage.PushPull request, String sender) {
    byte[] response = ctx.codec.frame(localState(false));
    merge(request, sender, true);
    return response;
  }

  private StreamMessage.PushPull localState(boolean join) {
    List<GossipMember> members = new ArrayList<>(ctx.table.size());
    for (NodeState node : ctx.table.all()) {
      members.add(node.gossip());
    }
    return new StreamMessage.PushPull(join, members);
  }

  private void merge(StreamMessage.PushPull state, String sender, boolean rebroadcast) {
    // Members the decoder dropped for breaking a field rule count here, where the rest merge.
    ctx.stats.countDrops(DropReason.INVALID, state.invalidMembers());
    for (GossipMember member : state.members()) {
      mergeOne(member, sender, rebroadcast);
    }
  }

  private void mergeOne(GossipMember member, String sender, boolean rebroadcast) {
    String name = member.name();
    long incarnation = member.incarnation();
    switch (member.state()) {
      case ALIVE -> updates.alive(member, rebroadcast);
      case SUSPECT -> updates.suspect(name, incarnation, sender, rebroadcast);
      case DEAD -> {
        if (name.equals(ctx.name())) {
          updates.dead(name, incarnation, sender, rebroadcast);
        } else {
          updates.suspect(name, incarnation, sender, rebroadcast);
        }
      }
      case LEFT -> updates.left(name, incarnation, rebroadcast);
    }
  }
}
