package io.hivemind.core.state;

import java.util.List;
import java.util.Objects;

/**
 * A message between two agents' {@link StateNode}s (docs/protocol/state.md): forwarded requests and
 * their results, backup writes and their answers, and the snapshot chunks that copy a partition to
 * a migration's destination or a backup that fell behind. Drivers only pass them to {@link
 * WireStateCodec}; every field is checked on construction, so a decoded message is a valid one.
 */
public sealed interface StateMessage {

  /** An operation a non-owner passes to the owner it sees, with the table version it routed by. */
  record Forward(long requestId, StateOp op, long tableVersion) implements StateMessage {
    public Forward {
      Objects.requireNonNull(op, "op");
      requireNonNegative(tableVersion, "table version");
    }
  }

  /** The owner's answer to a {@link Forward}. */
  record ForwardResult(long requestId, StateResult result) implements StateMessage {
    public ForwardResult {
      Objects.requireNonNull(result, "result");
    }
  }

  /**
   * One write the owner applied as {@code sequence} of {@code partition} at table {@code
   * tableVersion}, for a backup or a filling destination to apply in sequence order. {@code value}
   * null means the key was removed.
   */
  record Backup(
      int partition,
      long tableVersion,
      long sequence,
      String map,
      String key,
      byte[] value,
      long expiresAtMillis)
      implements StateMessage {
    public Backup {
      requireNonNegative(partition, "partition");
      requireNonNegative(tableVersion, "table version");
      requirePositive(sequence, "sequence");
      StateLimits.requireMapAndKey(map, key);
      if (value != null) {
        StateLimits.requireValue(value);
      }
      requireNonNegative(expiresAtMillis, "expiry");
    }

    /** Whether the write removed the key. */
    public boolean removed() {
      return value == null;
    }
  }

  /** A backup holds every write of {@code partition} up to {@code sequence}. */
  record BackupAck(int partition, long sequence) implements StateMessage {
    public BackupAck {
      requireNonNegative(partition, "partition");
      requireNonNegative(sequence, "sequence");
    }
  }

  /** A backup missed writes after {@code sequence}: the owner re-sends the partition whole. */
  record BackupGap(int partition, long sequence) implements StateMessage {
    public BackupGap {
      requireNonNegative(partition, "partition");
      requireNonNegative(sequence, "sequence");
    }
  }

  /**
   * The receiver knows table {@code tableVersion}, in which the sender does not own the partition.
   */
  record BackupRefused(int partition, long tableVersion) implements StateMessage {
    public BackupRefused {
      requireNonNegative(partition, "partition");
      requireNonNegative(tableVersion, "table version");
    }
  }

  /**
   * Part {@code index} of a partition's copy as of {@code sequence}; the receiver replaces what it
   * held for the partition once the {@code last} part arrives.
   */
  record SnapshotChunk(
      int partition,
      long tableVersion,
      long sequence,
      int index,
      boolean last,
      List<StateEntry> entries)
      implements StateMessage {
    public SnapshotChunk {
      requireNonNegative(partition, "partition");
      requireNonNegative(tableVersion, "table version");
      requireNonNegative(sequence, "sequence");
      requireNonNegative(index, "chunk index");
      entries = List.copyOf(entries);
    }
  }

  /**
   * The receiver now holds the partition's copy as of {@code sequence}, from the snapshot sent at
   * {@code tableVersion}: the owner matches both, so a late ack of an earlier snapshot (one the
   * receiver may have deleted since) cannot complete a later stream of the same sequence.
   */
  record SnapshotAck(int partition, long sequence, long tableVersion) implements StateMessage {
    public SnapshotAck {
      requireNonNegative(partition, "partition");
      requireNonNegative(sequence, "sequence");
      requireNonNegative(tableVersion, "table version");
    }
  }

  private static void requireNonNegative(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must be >= 0: " + value);
    }
  }

  private static void requirePositive(long value, String what) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be >= 1: " + value);
    }
  }
}
