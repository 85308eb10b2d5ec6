package io.hivemind.control;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
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

  /** One attempt of a client request may take a third of the submit bound: room for retries. */
  private static void clientTimeouts(RaftProperties props, ControlConfig config) {
    long attemptMillis = Math.max(config.submitTimeout().toMillis() / 3, 200);
    RaftClientConfigKeys.Rpc.setRequestTimeout(
        props, TimeDuration.valueOf(attemptMillis, TimeUnit.MILLISECONDS));
  }

  /** TLS parameters for server and client, or empty parameters for plaintext. */
  static Parameters parameters(ControlConfig config) {
    Parameters parameters = new Parameters();
    config
        .tls()
        .ifPresent(
            tls ->
                GrpcConfigKeys.TLS.setConf(
                    parameters,
                    new GrpcTlsConfig(
                        tls.key().toFile(), tls.cert().toFile(), tls.caCert().toFile(), true)));
    return parameters;
  }

  /** Where Raft keeps this node's storage: {@code <dataDir>/raft}. */
  static File storageDir(ControlConfig config) {
    return storageDir(config.dataDir());
  }

  static File storageDir(java.nio.file.Path dataDir) {
    return dataDir.resolve("raft").toFile();
  }
}
