package io.hivemind.server.membership;

import io.hivemind.core.membership.DropReason;
import io.hivemind.core.membership.MembershipStats;
import java.util.Map;

/**
 * An immutable copy of a node's {@link MembershipStats}, taken on the node's thread. The core's
 * counters are plain fields written by that thread with no ordering for readers (and 64-bit writes
 * may even tear, JLS §17.7), so other threads read this copy instead. Same accessors as {@link
 * MembershipStats}.
 */
public final class MembershipCounters {

  /** All zero: before the node has started. */
  public static final MembershipCounters ZERO = new MembershipCounters();

  private final long packetsSent;
  private final long bytesSent;
  private final long packetsReceived;
  private final long bytesReceived;
  private final long streamsOpened;
  private final long streamBytesSent;
  private final long streamBytesReceived;
  private final long messagesSent;
  private final long probes;
  private final long probeFailures;
  private final long suspicions;
  private final long refutations;
  private final Map<DropReason, Long> dropped;

  private MembershipCounters() {
    this.packetsSent = 0;
    this.bytesSent = 0;
    this.packetsReceived = 0;
    this.bytesReceived = 0;
    this.streamsOpened = 0;
    this.streamBytesSent = 0;
    this.streamBytesReceived = 0;
    this.messagesSent = 0;
    this.probes = 0;
    this.probeFailures = 0;
    this.suspicions = 0;
    this.refutations = 0;
    this.dropped = Map.of();
  }

  private MembershipCounters(MembershipStats stats) {
    this.packetsSent = stats.packetsSent();
    this.bytesSent = stats.bytesSent();
    this.packetsReceived = stats.packetsReceived();
    this.bytesReceived = stats.bytesReceived();
    this.streamsOpened = stats.streamsOpened();
    this.streamBytesSent = stats.streamBytesSent();
    this.streamBytesReceived = stats.streamBytesReceived();
    this.messagesSent = stats.messagesSent();
    this.probes = stats.probes();
    this.probeFailures = stats.probeFailures();
    this.suspicions = stats.suspicions();
    this.refutations = stats.refutations();
    this.dropped = Map.copyOf(stats.droppedByReason());
  }

  /** Copies {@code stats}; call it on the thread that owns them. */
  static MembershipCounters copyOf(MembershipStats stats) {
    return new MembershipCounters(stats);
  }

  public long packetsSent() {
    return packetsSent;
  }

  public long bytesSent() {
    return bytesSent;
  }

  public long packetsReceived() {
    return packetsReceived;
  }

  public long bytesReceived() {
    return bytesReceived;
  }

  public long streamsOpened() {
    return streamsOpened;
  }

  public long streamBytesSent() {
    return streamBytesSent;
  }

  public long streamBytesReceived() {
    return streamBytesReceived;
  }

  public long messagesSent() {
    return messagesSent;
  }

  public long probes() {
    return probes;
  }

  public long probeFailures() {
    return probeFailures;
  }

  public long suspicions() {
    return suspicions;
  }

  public long refutations() {
    return refutations;
  }

  /** Dropped packets and frames for one reason. */
  public long dropped(DropReason reason) {
    return dropped.getOrDefault(reason, 0L);
  }

  /** Dropped packets and frames by reason. */
  public Map<DropReason, Long> droppedByReason() {
    return dropped;
  }

  /** All dropped packets and frames. */
  public long droppedTotal() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public String toString() {
    return "MembershipCounters{packetsSent="
        + packetsSent
        + ", packetsReceived="
        + packetsReceived
        + ", streamsOpened="
        + streamsOpened
        + ", probes="
        + probes
        + ", probeFailures="
        + probeFailures
        + ", suspicions="
        + suspicions
        + ", dropped="
        + dropped
        + "}";
  }
}
