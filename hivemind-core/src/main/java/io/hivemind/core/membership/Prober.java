package io.hivemind.core.membership;

import io.hivemind.api.MemberState;
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
    GossipMessage.Ping ping = new GossipMessage.Ping(round.seq, target.name);
    if (target.state == MemberState.SUSPECT) {
      ctx.send(
          target.address(),
          new GossipMessage.Suspect(target.name, target.incarnation, ctx.name()),
          ping);
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
    List<NodeState> relaysChosen = chooseRelays(target);
    for (NodeState relay : relaysChosen) {
      ctx.send(
          relay.address(),
          new GossipMessage.IndirectPing(round.seq, target.name, target.address(), true));
    }
    round.expectedNacks = relaysChosen.size();
    if (ctx.config.tcpFallbackProbe()) {
      long streamId = ctx.nextStreamId();
      fallbackStreams.put(streamId, round);
      ctx.openStream(
          target.address(),
          streamId,
          ctx.codec.frame(new GossipMessage.Ping(round.seq, target.name)));
    }
  }

  /**
   * Members to ping {@code target} for us: confirmed ones first, since a made-up member never
   * relays nor nacks, and missing nacks count against our own health.
   */
  private List<NodeState> chooseRelays(NodeState target) {
    return ctx.table.randomConfirmedFirst(
        ctx.config.indirectChecks(),
        m -> m.state == MemberState.ALIVE && m != ctx.self && m != target);
  }

  private void endRound(Round round) {
    rounds.remove(round.seq);
    fallbackStreams.values().remove(round);
    if (round.acked) {
      return;
    }
    ctx.stats.probeFailures++;
    NodeState target = round.target;
    if (ctx.table.get(target.name) == target && target.isActive()) {
      updates.suspect(target.name, round.incarnation, ctx.name(), true);
      // Before this round's penalty: the verdict carries the health we probed with. Relays' nacks
      // come at twice the probe timeout, just after the round ends, so every failed round costs
      // its missing nacks; counted first, every observer of a crash would look unhealthy.
      ctx.verdicts.failed(target);
    }
    if (target.confirmed()) {
      // Lifeguard: each relay that did not even nack means the trouble may be on our side. Not for
      // a member that never answered us: it may be made up, and thousands of forged members
      // failing their probes once slowed our probing eightfold, real members with it.
      int missingNacks = round.expectedNacks - round.nacks;
      ctx.health.apply(round.expectedNacks > 0 ? missingNacks : 1);
    }
  }

  /**
   * We just heard that another member suspects {@code name}: with probability {@code
   * confirmationProbes / (N − 2)} probe it ourselves at once, so that a control plane gets
   * independent verdicts soon (see {@link MembershipConfig#confirmationProbes()}). The probe
   * carries the suspicion (buddy system), so a live suspect refutes at once.
   */
  void confirmSuspicion(String name) {
    int expected = ctx.config.confirmationProbes();
    NodeState target = ctx.table.get(name);
    if (expected == 0 || ctx.leaving || target == null || target.state != MemberState.SUSPECT) {
      return;
    }
    int others = Math.max(1, ctx.table.activeCount() - 2);
    if (ctx.random.nextInt(others) >= expected || isProbing(target)) {
      return;
    }
    startRound(target, ctx.health.scale(ctx.config.probeInterval().toMillis()));
  }

  private boolean isProbing(NodeState target) {
    return rounds.values().stream().anyMatch(r -> r.target == target);
  }

  // ---- incoming -------------------------------------------------------------------------------

  void onPing(GossipMessage.Ping ping, Address from) {
    if (isForUs(ping)) {
      ctx.send(from, new GossipMessage.Ack(ping.seq()));
    }
  }

  /** Whether a ping is ours to answer; else it was meant for a node that used to live here. */
  private boolean isForUs(GossipMessage.Ping ping) {
    return ping.target().isEmpty() || ping.target().equals(ctx.name());
  }

  void onIndirectPing(GossipMessage.IndirectPing request, Address from) {
    int seq = ctx.nextSeq();
    relays.put(seq, new Relay(request.seq(), from));
    ctx.send(request.targetAddress(), new GossipMessage.Ping(seq, request.target()));
    boolean nack = request.nack();
    long timeout = ctx.config.probeTimeout().toMillis();
    ctx.timers.schedule(
        ctx.now + timeout,
        () -> {
          Relay relay = relays.remove(seq);
          if (relay != null && nack) {
            ctx.send(relay.requester(), new GossipMessage.Nack(relay.requesterSeq()));
          }
        });
  }

  void onAck(int seq) {
    Relay relay = relays.remove(seq);
    if (relay != null) {
      ctx.send(relay.requester(), new GossipMessage.Ack(relay.requesterSeq()));
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
  void onFallbackResponse(long streamId, StreamMessage response) {
    Round round = fallbackStreams.remove(streamId);
    if (round != null && response instanceof GossipMessage.Ack ack && ack.seq() == round.seq) {
      acked(round);
    }
  }

  void onFallbackFailure(long streamId) {
    fallbackStreams.remove(streamId);
  }

  /** Answers a stream ping addressed to us. */
  byte[] answerStreamPing(GossipMessage.Ping ping) {
    return isForUs(ping) ? ctx.codec.frame(new GossipMessage.Ack(ping.seq())) : null;
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
    ctx.table.confirm(round.target);
    ctx.verdicts.answered(round.target);
  }
}
