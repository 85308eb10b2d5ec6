package io.hivemind.core.state;

/**
 * The owner's view of one copy it feeds (a backup, or a migration's destination) for one partition:
 * whether the copy still needs a snapshot, is receiving one, or follows the write stream, and the
 * highest sequence it is known to hold.
 *
 * <p>A copy gets Backups only once its snapshot has been sent (the Backups then queue behind the
 * chunks on the FIFO link), and counts towards a write's acknowledgement only for what it acked.
 */
final class Feed {

  enum Phase {
    NEED_SNAPSHOT,
    STREAMING,
    LIVE
  }

  Phase phase = Phase.NEED_SNAPSHOT;

  /** Highest sequence the copy acknowledged, -1 before it acknowledged anything to this owner. */
  long acked = -1;

  /** Whether a snapshot was ever sent to it by this owner (destinations count from then on). */
  boolean started;

  /**
   * For a destination: the run of its move this feed serves ({@code MoveInFlight.since}); 0 for a
   * backup. Only a snapshot acknowledged in the current run completes the move.
   */
  long since;

  long streamSequence;

  /** The table version the snapshot in flight was sent at: its ack must echo it. */
  long streamTableVersion;

  long streamDeadlineMillis;

  boolean receivesBackups() {
    return phase != Phase.NEED_SNAPSHOT;
  }

  boolean holds(long sequence) {
    return phase == Phase.LIVE && acked >= sequence;
  }
}
