package io.hivemind.core.membership;

import com.google.protobuf.ByteString;
import io.hivemind.api.MemberState;
import io.hivemind.core.wire.proto.Ack;
import io.hivemind.core.wire.proto.IndirectPing;
import io.hivemind.core.wire.proto.Ping;
import io.hivemind.core.wire.proto.StreamFrame;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The failure detector (SWIM §3.1, §4.3 with Lifeguard §IV-A): one probe round per (scaled) probe
 * interval against the next member in randomized round-robin order.
 *
 * <p>A round: ping the target directly; if no ack within the probe timeout, ask {@code
 * indirectChecks} random members to ping it for us (each answers Nack if the target stays silent)
 * and, where enabled, try a ping over a stream (memberlist's TCP fallback, which gets through where
 * only UDP is lost). If nothing acks by the end of the interval, the target becomes SUSPECT. A
 * probe of a suspect carries the suspicion (Lifeguard's buddy system) so the target can refute at
 * once. Missing nacks raise our local health score: if relays cannot reach us, we are the problem.
 *
 * <p>This node also serves as a relay for others' indirect probes.
 *
 * <p>Owned by the node's thread.
 */
final class Prober {

  /** A probe this node started. */
  private static final class Round {
    final int seq;
    final NodeState target;
    final long incarnation;
    int expectedNacks;
    int nacks;
    boolean acked;
    TimerQueue.Timer indirectTimer;

    Round(int seq, NodeState target) {
      this.seq = seq;
      this.target = target;
      this.incarnation = target.incarnation;
    }
  }

  /** A ping this node sends on another member's behalf. */
  private record Relay(int requesterSeq, Address requester) {}

  private final NodeContext ctx;
  private final MemberUpdates updates;
  private final Map<Integer, Round> rounds = new HashMap<>();
  private final Map<Integer, Relay> relays = new HashMap<>();
  private final Map<Long, Round> fallbackStreams = new HashMap<>();
  private TimerQueue.Timer nextProbe;

  Prober(NodeContext ctx, MemberUpdates updates) {
    this.ctx = ctx;
    this.updates = updates;
  }

  /** Starts probing; the first round comes after a random fraction of an interval. */
  void start() {
    long interval = ctx.config.probeInterval().toMillis();
    schedule(ctx.now + ctx.random.nextLong(interval + 1));
  }

  void stop() {
    if (nextProbe != null) {
      nextProbe.cancel();
    }
  }

  private void schedule(long at) {
    nextProbe = ctx.timers.schedule(at, this::probe);
  }

  private void probe() {
    if (ctx.leaving) {
      return;
    }
    long interval = ctx.health.scale(ctx.config.probeInterval().toMillis());
    NodeState target = ctx.table.nextProbeTarget(ctx.self);
    if (target != null) {
      startRound(target, interval);
    }
    schedule(ctx.now + interval);
  }

  private void startRound(NodeState target, long interval) {
    ctx.stats.probes++;
    Round round = new Round(ctx.nextSeq(), target);
    rounds.put(round.seq, round);
    ByteString ping = WireCodec.ping(round.seq, target.name);
    if (target.state == MemberState.SUSPECT) {
      ctx.send(
          target.address(), WireCodec.suspect(target.name, target.incarnation, ctx.name()), ping);
    } else {
      ctx.send(target.address(), ping);
    }
    long timeout = ctx.health.scale(ctx.config.probeTimeout().toMillis());
    round.indirectTimer = ctx.timers.schedule(ctx.now + timeout, () -> probeIndirectly(round));
    ctx.timers.schedule(ctx.now + interval, () -> endRound(round));
  }

  private void probeIndirectly(Round round) {
    if (round.acked) {
      return;
    }
    NodeState target = round.target;
    List<NodeState> relaysChosen =
        ctx.table.randomMembers(
            ctx.config.indirectChecks(),
            m -> m.state == MemberState.ALIVE && m != ctx.self && m != target);
    for (NodeState relay : relaysChosen) {
      ctx.send(
          relay.address(), WireCodec.indirectPing(round.seq, target.name, target.address(), true));
    }
    round.expectedNacks = relaysChosen.size();
    if (ctx.config.tcpFallbackProbe()) {
      long streamId = ctx.nextStreamId();
      fallbackStreams.put(streamId, round);
      StreamFrame.Builder frame =
          StreamFrame.newBuilder()
              .setPing(Ping.newBuilder().setSeq(round.seq).setTarget(target.name));
      ctx.openStream(target.address(), streamId, ctx.codec.frame(frame));
    }
  }

  private void endRound(Round round) {
    rounds.remove(round.seq);
    fallbackStreams.values().remove(round);
    if (round.acked) {
      return;
    }
    ctx.stats.probeFailures++;
    // Lifeguard: each relay that did not even nack means the trouble may be on our side.
    int missingNacks = round.expectedNacks - round.nacks;
    ctx.health.apply(round.expectedNacks > 0 ? missingNacks : 1);
    NodeState target = round.target;
    if (ctx.table.get(target.name) == target && target.isActive()) {
      updates.suspect(target.name, round.incarnation, ctx.name(), true);
    }
  }

  // ---- incoming -------------------------------------------------------------------------------

  void onPing(Ping ping, Address from) {
    if (!ping.getTarget().isEmpty() && !ping.getTarget().equals(ctx.name())) {
      return; // Meant for a node that used to live at our address.
    }
    ctx.send(from, WireCodec.ack(ping.getSeq()));
  }

  void onIndirectPing(IndirectPing request, Address from) throws WireException {
    WireCodec.checkName("target", request.getTarget());
    Address target = WireCodec.address(request.getTargetAddress());
    int seq = ctx.nextSeq();
    relays.put(seq, new Relay(request.getSeq(), from));
    ctx.send(target, WireCodec.ping(seq, request.getTarget()));
    boolean nack = request.getNack();
    long timeout = ctx.config.probeTimeout().toMillis();
    ctx.timers.schedule(
        ctx.now + timeout,
        () -> {
          Relay relay = relays.remove(seq);
          if (relay != null && nack) {
            ctx.send(relay.requester(), WireCodec.nack(relay.requesterSeq()));
          }
        });
  }

  void onAck(int seq) {
    Relay relay = relays.remove(seq);
    if (relay != null) {
      ctx.send(relay.requester(), WireCodec.ack(relay.requesterSeq()));
      return;
    }
    Round round = rounds.get(seq);
    if (round != null) {
      acked(round);
    }
  }

  void onNack(int seq) {
    Round round = rounds.get(seq);
    if (round != null) {
      round.nacks++;
    }
  }

  /** A stream ping answered: counts as an ack for its round. */
  void onFallbackResponse(long streamId, StreamFrame frame) {
    Round round = fallbackStreams.remove(streamId);
    if (round != null && frame.hasAck() && frame.getAck().getSeq() == round.seq) {
      acked(round);
    }
  }

  void onFallbackFailure(long streamId) {
    fallbackStreams.remove(streamId);
  }

  /** Answers a stream ping addressed to us. */
  byte[] answerStreamPing(Ping ping) {
    if (!ping.getTarget().isEmpty() && !ping.getTarget().equals(ctx.name())) {
      return null;
    }
    StreamFrame.Builder ack =
        StreamFrame.newBuilder().setAck(Ack.newBuilder().setSeq(ping.getSeq()));
    return ctx.codec.frame(ack);
  }

  private void acked(Round round) {
    if (round.acked) {
      return;
    }
    round.acked = true;
    if (round.indirectTimer != null) {
      round.indirectTimer.cancel();
    }
    ctx.health.apply(-1);
  }
}
