package io.hivemind.core.membership;

import io.hivemind.api.MemberState;
import io.hivemind.core.wire.proto.MemberInfo;
import io.hivemind.core.wire.proto.PushPull;
import io.hivemind.core.wire.proto.StreamFrame;
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
    SYNC
  }

  private final NodeContext ctx;
  private final MemberUpdates updates;
  private final Map<Long, Purpose> streams = new HashMap<>();
  private final Map<Long, TimerQueue.Timer> streamTimeouts = new HashMap<>();
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
    long interval = ctx.config.pushPullIntervalMillis(ctx.table.activeCount());
    ctx.timers.schedule(ctx.now + ctx.random.nextLong(interval) + 1, this::periodicSync);
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

  // ---- periodic -------------------------------------------------------------------------------

  private void periodicSync() {
    if (!ctx.leaving) {
      List<NodeState> peer =
          ctx.table.randomMembers(1, m -> m.state == MemberState.ALIVE && m != ctx.self);
      if (!peer.isEmpty()) {
        exchange(peer.get(0).address, Purpose.SYNC);
      }
    }
    long interval = ctx.config.pushPullIntervalMillis(ctx.table.activeCount());
    ctx.timers.schedule(ctx.now + interval, this::periodicSync);
  }

  private void reconnect() {
    if (!ctx.leaving) {
      List<NodeState> dead = new ArrayList<>();
      for (NodeState node : ctx.table.all()) {
        if (node.state == MemberState.DEAD) {
          dead.add(node);
        }
      }
      if (!dead.isEmpty()) {
        exchange(dead.get(ctx.random.nextInt(dead.size())).address, Purpose.SYNC);
      }
    }
    ctx.timers.schedule(ctx.now + ctx.config.reconnectInterval().toMillis(), this::reconnect);
  }

  // ---- exchange -------------------------------------------------------------------------------

  private void exchange(Address peer, Purpose purpose) {
    long streamId = ctx.nextStreamId();
    streams.put(streamId, purpose);
    streamTimeouts.put(
        streamId,
        ctx.timers.schedule(
            ctx.now + ctx.config.streamTimeout().toMillis(), () -> onFailure(streamId)));
    ctx.openStream(peer, streamId, ctx.codec.frame(localState(purpose == Purpose.JOIN)));
  }

  boolean ownsStream(long streamId) {
    return streams.containsKey(streamId);
  }

  /** A peer's state arrived in answer to our exchange. */
  void onResponse(long streamId, StreamFrame frame) {
    Purpose purpose = finish(streamId);
    if (purpose == null) {
      return;
    }
    if (!frame.hasPushPull()) {
      failed(purpose);
      return;
    }
    // A joiner learns the seed's view but does not re-gossip it: the cluster already knows it.
    merge(frame.getPushPull(), frame.getHeader().getSender(), purpose != Purpose.JOIN);
    if (purpose == Purpose.JOIN) {
      joinAttemptsInFlight--;
      if (!joined) {
        joined = true;
        if (joinRetry != null) {
          joinRetry.cancel();
          joinRetry = null;
        }
        ctx.emit(MembershipEvent.Type.LOCAL_JOINED, ctx.self);
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
    return streams.remove(streamId);
  }

  /** A peer opened an exchange: answer with our state as it was, then merge theirs. */
  byte[] answer(StreamFrame request) {
    byte[] response = ctx.codec.frame(localState(false));
    merge(request.getPushPull(), request.getHeader().getSender(), true);
    return response;
  }

  private StreamFrame.Builder localState(boolean join) {
    PushPull.Builder state = PushPull.newBuilder().setJoin(join);
    for (NodeState node : ctx.table.all()) {
      state.addMembers(node.info());
    }
    return StreamFrame.newBuilder().setPushPull(state);
  }

  private void merge(PushPull state, String sender, boolean rebroadcast) {
    for (MemberInfo info : state.getMembersList()) {
      try {
        WireCodec.checkMember(info);
      } catch (WireException e) {
        ctx.stats.countDrop(e.reason());
        continue;
      }
      switch (info.getState()) {
        case ALIVE -> updates.alive(info, rebroadcast);
        case SUSPECT -> updates.suspect(info.getName(), info.getIncarnation(), sender, rebroadcast);
        case DEAD -> {
          if (info.getName().equals(ctx.name())) {
            updates.dead(info.getName(), info.getIncarnation(), sender, rebroadcast);
          } else {
            updates.suspect(info.getName(), info.getIncarnation(), sender, rebroadcast);
          }
        }
        case LEFT -> updates.left(info.getName(), info.getIncarnation(), rebroadcast);
        default -> ctx.stats.countDrop(DropReason.INVALID);
      }
    }
  }
}
