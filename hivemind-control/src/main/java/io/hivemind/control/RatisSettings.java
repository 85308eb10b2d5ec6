package io.hivemind.control;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * Ratis's properties for a control node, from {@link ControlConfig}. Each setting that differs from
 * Ratis's default says why; most fix a sharp edge measured with Ratis 3.3 (docs/adr/0003).
 */
final class RatisSettings {

  /**
   * Election timeout 0.5-1 s, not Ratis's 150-300 ms: control nodes share a box with agents and
   * other processes (CI runs seven builds on two cores), and a 150 ms pause there must not depose a
   * healthy leader. A crashed leader is still replaced within about 1-2 s (the target is 2
   * s).
   */
  static final TimeDuration ELECTION_TIMEOUT_MIN = TimeDuration.valueOf(500, TimeUnit.MILLISECONDS);

  static final TimeDuration ELECTION_TIMEOUT_MAX =
      TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS);

  /** Snapshots kept on disk: the latest and one before it, in case the latest is torn. */
  static final int SNAPSHOTS_RETAINED = 2;

  /**
   * Log segments of 4 MiB, not Ratis's 32 MiB. Ratis keeps every entry of the open segment on the
   * heap (its entry cache) until the segment closes, and purges the log after a snapshot only a
   * closed segment at a time: 32 MiB of ~300-byte KV entries is over 100,000 live objects, a large
   * share of the control node's heap (its live set was 20-30 MB after a 64-in-flight run). A bound
   * by design: the launcher's heap flags, not this, removed the full collections measured under
   * load (docs/benchmarks.md, "Control plane: against etcd").
   */
  static final SizeInBytes SEGMENT_SIZE_MAX = SizeInBytes.valueOf("4MB");

  /**
   * Closed segments whose entries stay cached: two, so a follower a little behind is still served
   * from memory, and at most ~8 MiB of log is held on the heap besides the open segment.
   */
  static final int SEGMENT_CACHE_NUM_MAX = 2;

  private RatisSettings() {}

  static RaftProperties properties(ControlConfig config) {
    RaftProperties props = new RaftProperties();
    RaftConfigKeys.Rpc.setType(props, SupportedRpcType.GRPC);
    GrpcConfigKeys.Server.setHost(props, config.host());
    GrpcConfigKeys.Server.setPort(props, config.port());
    // Ratis defaults to a directory under /tmp: the log would vanish with a reboot.
    RaftServerConfigKeys.setStorageDir(props, List.of(storageDir(config)));
    // Without it a read is answered from the leader's state without confirming leadership.
    RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Rpc.setTimeoutMin(props, ELECTION_TIMEOUT_MIN);
    RaftServerConfigKeys.Rpc.setTimeoutMax(props, ELECTION_TIMEOUT_MAX);
    snapshots(props, config.snapshotThreshold());
    RaftServerConfigKeys.Log.setSegmentSizeMax(props, SEGMENT_SIZE_MAX);
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(props, SEGMENT_CACHE_NUM_MAX);
    clientTimeouts(props, config);
    return props;
  }

  /** Snapshots are off by default in Ratis, and the log is then never purged. */
  private static void snapshots(RaftProperties props, long threshold) {
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, threshold);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, SNAPSHOTS_RETAINED);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
  }

  /**
   * One attempt of a client request may take the whole submit bound: a request that a leader
   * accepted waits for its commit, which under load (measured: 64 pipelined writes on a busy
   * two-core box) takes over a second, and an attempt timed out early is retried behind every
   * request after it (Ratis's ordered client), stalling the pipeline. Failures that need another
   * attempt (not the leader, connection refused) fail fast, not by this timeout; the caller's bound
   * ends the wait either way.
   */
  private static void clientTimeouts(RaftProperties props, ControlConfig config) {
    RaftClientConfigKeys.Rpc.setRequestTimeout(
        props, TimeDuration.valueOf(config.submitTimeout().toMillis(), TimeUnit.MILLISECONDS));
  }

  /** Where Raft keeps this node's storage: {@code <dataDir>/raft}. */
  static File storageDir(ControlConfig config) {
    return storageDir(config.dataDir());
  }

  static File storageDir(java.nio.file.Path dataDir) {
    return dataDir.resolve("raft").toFile();
  }
}
