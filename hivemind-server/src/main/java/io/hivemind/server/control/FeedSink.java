package io.hivemind.server.control;

import io.hivemind.core.control.ControlSnapshot;

/**
 * Receives one subscription's feed of the committed log ({@link CommittedLog#follow}). Calls come
 * one at a time, in index order, from the log's thread, possibly while the log holds a lock: an
 * implementation queues and returns, never blocks, and never calls back into the log.
 */
public interface FeedSink {

  /**
   * The whole state at {@code index}; the next entry will be {@code index + 1}. The snapshot is
   * shared by every subscriber that needed it at that index: {@code snapshotBytes} is its encoding
   * (computed once), not to be modified.
   */
  void snapshot(long index, ControlSnapshot snapshot, byte[] snapshotBytes);

  /** The committed entry at {@code index}, as the voters applied it; shared, not to be modified. */
  void entry(long index, byte[] entryBytes);
}
