package io.hivemind.core.membership;

import io.hivemind.api.MemberState;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What the parts of one membership node share: identity, configuration, the member table, the
 * broadcast queue, timers, counters and the way out. Also holds {@link #now}, the time of the input
 * being handled, set by {@link MembershipNode} on entry so the parts need not pass it around.
 *
 * <p>Owned by the node's thread.
 */
final class NodeContext {

  final NodeIdentity identity;
  final MembershipConfig config;
  final RandomGenerator random;
  final MembershipOutput output;
  final MemberTable table;
  final NodeState self;
  final BroadcastQueue broadcasts;
  final TimerQueue timers = new TimerQueue();
  final LocalHealth health;
  final MembershipStats stats = new MembershipStats();
  final WireCodec codec;
  final ProbeVerdicts verdicts = new ProbeVerdicts(this);

  long now;
  boolean leaving;
  private int nextSeq;
  private long nextStreamId;

  NodeContext(
      NodeIdentity identity,
      MembershipConfig config,
      RandomGenerator random,
      MembershipOutput output) {
    this.identity = identity;
    this.config = config;
    this.random = random;
    this.output = output;
    this.table = new MemberTable(random);
    this.broadcasts = new BroadcastQueue(config.maxQueuedBroadcasts());
    this.health = new LocalHealth(config.awarenessMaxMultiplier());
    this.codec = new WireCodec(identity);
    this.self = new NodeState(identity.name(), identity.address(), 0, MemberState.ALIVE, 0);
    self.setMeta(identity.roles(), identity.tags(), identity.zone());
    self.setConfirmed();
    table.add(self);
  }

  int nextSeq() {
    return nextSeq++;
  }

  long nextStreamId() {
    return nextStreamId++;
  }

  String name() {
    return identity.name();
  }

  boolean isSelf(NodeState node) {
    return node == self;
  }

  Member snapshot(NodeState node) {
    return node.snapshot(identity.environment(), identity.cluster());
  }

  void emit(MembershipEvent.Type type, NodeState node) {
    // The health is read now, inside the call, so a probe verdict carries the health the probe was
    // made with (its round's penalty comes after): listeners run only after the call returns.
    output.onEvent(new MembershipEvent(type, snapshot(node), null, health.score()));
  }

  int retransmitLimit() {
    return config.retransmitLimit(table.activeCount());
  }

  /**
   * Sends {@code messages} to {@code to} in one packet, filling the rest of it with piggybacked
   * updates (SWIM §4.1: dissemination rides on the failure detector's own messages).
   */
  void send(Address to, GossipMessage... messages) {
    List<EncodedMessage> packet = new ArrayList<>(messages.length + 8);
    int used = codec.packetOverhead();
    for (GossipMessage message : messages) {
      EncodedMessage encoded = WireEncoder.encode(message);
      packet.add(encoded);
      used += encoded.fieldSize();
    }
    packet.addAll(broadcasts.take(config.maxPacketSize() - used, retransmitLimit()));
    sendPacket(to, packet);
  }

  /** Queues {@code update} about member {@code about} for gossip (see {@link BroadcastQueue}). */
  void broadcast(String about, GossipMessage update) {
    broadcasts.queue(about, WireEncoder.encode(update));
  }

  /** As {@link #broadcast(String, GossipMessage)}; {@code onDone} runs once it has spread. */
  void broadcast(String about, GossipMessage update, Runnable onDone) {
    broadcasts.queue(about, WireEncoder.encode(update), onDone);
  }

  /** Sends {@code message} alone, without piggybacked updates. */
  void sendAlone(Address to, GossipMessage message) {
    sendPacket(to, List.of(WireEncoder.encode(message)));
  }

  /** Sends {@code messages}, already encoded, to {@code to} in one packet. */
  void sendPacket(Address to, List<EncodedMessage> messages) {
    byte[] bytes = codec.packet(messages);
    stats.packetsSent++;
    stats.bytesSent += bytes.length;
    stats.messagesSent += messages.size();
    output.sendPacket(to, bytes);
  }

  void openStream(Address to, long streamId, byte[] request) {
    stats.streamsOpened++;
    stats.streamBytesSent += request.length;
    output.openStream(to, streamId, request);
  }
}
