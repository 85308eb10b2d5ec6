package io.hivemind.core.state;

/**
 * A {@link StateNode}'s settings.
 *
 * @param syncBackups backups that must hold a write before it is acknowledged (at most the table's
 *     B; fewer when fewer exist)
 * @param requestTimeoutMillis how long a forwarded request or a write waiting on backups may take
 * @param maxPendingRequests requests this node holds open at once before it answers OVERLOADED
 * @param snapshotChunkBytes largest snapshot chunk a migration sends in one message
 * @param maxParallelStreams partitions this node streams to destinations at once
 */
public record StateConfig(
    int syncBackups,
    long requestTimeoutMillis,
    int maxPendingRequests,
    int snapshotChunkBytes,
    int maxParallelStreams) {

  public StateConfig {
    if (syncBackups < 0 || requestTimeoutMillis < 1 || maxPendingRequests < 1) {
      throw new IllegalArgumentException(
          "sync backups >= 0, request timeout >= 1 ms and pending requests >= 1 required");
    }
    if (snapshotChunkBytes < 1024 || maxParallelStreams < 1) {
      throw new IllegalArgumentException(
          "snapshot chunks of at least 1 KiB and at least 1 parallel stream required");
    }
  }

  /**
   * One sync backup, 5 s requests, 10,000 pending, 256 KiB chunks, 16 parallel streams (a stream of
   * a small partition is one round trip; 16 of 256 KiB keep at most 4 MiB in flight).
   */
  public static StateConfig defaults() {
    return new StateConfig(1, 5_000, 10_000, 256 << 10, 16);
  }
}
