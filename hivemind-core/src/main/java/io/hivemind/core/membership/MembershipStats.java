package io.hivemind.core.membership;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of one {@link MembershipNode}. Written only by the node's owning thread; a reader on
 * another thread reads a {@link #copy} the owner made and published.
 */
public final class MembershipStats {

  long packetsSent;
  long bytesSent;
  long packetsReceived;
  long bytesReceived;
  long streamsOpened;
  long streamBytesSent;
  long streamBytesReceived;
  long probes;
  long probeFailures;
  long suspicions;
  long refutations;
  long messagesSent;
  long membersRefused;
  long nameConflicts;
  private final long[] dropped = new long[DropReason.values().length];

  /**
   * A copy for readers on other threads. The owner writes these counters without any ordering (and
   * a 64-bit write may even tear, JLS §17.7), so the owner takes a copy and publishes it safely;
   * the copy is never written again.
   */
  public MembershipStats copy() {
    MembershipStats copy = new MembershipStats();
    copy.packetsSent = packetsSent;
    copy.bytesSent = bytesSent;
    copy.packetsReceived = packetsReceived;
    copy.bytesReceived = bytesReceived;
    copy.streamsOpened = streamsOpened;
    copy.streamBytesSent = streamBytesSent;
    copy.streamBytesReceived = streamBytesReceived;
    copy.probes = probes;
    copy.probeFailures = probeFailures;
    copy.suspicions = suspicions;
    copy.refutations = refutations;
    copy.messagesSent = messagesSent;
    copy.membersRefused = membersRefused;
    copy.nameConflicts = nameConflicts;
    System.arraycopy(dropped, 0, copy.dropped, 0, dropped.length);
    return copy;
  }

  void countDrop(DropReason reason) {
    dropped[reason.ordinal()]++;
  }

  void countDrops(DropReason reason, int count) {
    dropped[reason.ordinal()] += count;
  }

  /** Datagrams handed to the driver. */
  public long packetsSent() {
    return packetsSent;
  }

  /** Bytes of those datagrams. */
  public long bytesSent() {
    return bytesSent;
  }

  /** Datagrams received (accepted or dropped). */
  public long packetsReceived() {
    return packetsReceived;
  }

  /** Bytes of received datagrams. */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** Streams this node opened (push-pull, join, TCP fallback probes). */
  public long streamsOpened() {
    return streamsOpened;
  }

  /** Bytes this node wrote to streams, requests and responses alike. */
  public long streamBytesSent() {
    return streamBytesSent;
  }

  /** Bytes this node read from streams. */
  public long streamBytesReceived() {
    return streamBytesReceived;
  }

  /** Protocol messages sent, counting each message of a compound packet. */
  public long messagesSent() {
    return messagesSent;
  }

  /** Probe rounds started. */
  public long probes() {
    return probes;
  }

  /** Probe rounds that ended without any ack. */
  public long probeFailures() {
    return probeFailures;
  }

  /** Members this node started suspecting. */
  public long suspicions() {
    return suspicions;
  }

  /** Times this node refuted a suspicion, death or stale leave about itself. */
  public long refutations() {
    return refutations;
  }

  /**
   * Alive updates about new members refused because the member table held {@link
   * MembershipConfig#maxMembers} members.
   */
  public long membersRefused() {
    return membersRefused;
  }

  /** {@link MembershipEvent.Type#NAME_CONFLICT} events raised: Alives refused as conflicting. */
  public long nameConflicts() {
    return nameConflicts;
  }

  /** Dropped packets and frames for one reason. */
  public long dropped(DropReason reason) {
    return dropped[reason.ordinal()];
  }

  /** Dropped packets and frames by reason. */
  public Map<DropReason, Long> droppedByReason() {
    Map<DropReason, Long> result = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      result.put(reason, dropped[reason.ordinal()]);
    }
    return result;
  }

  /** All dropped packets and frames. */
  public long droppedTotal() {
    long total = 0;
    for (long count : dropped) {
      total += count;
    }
    return total;
  }
}
