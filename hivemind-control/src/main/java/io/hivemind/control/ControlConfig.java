package io.hivemind.control;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A control node's Raft settings. Build it with {@link #of} and the {@code with*} methods.
 *
 * <p>Justification for ten components: independent settings of one layer, each validated here;
 * callers pass the six required ones to {@link #of} and change the defaults with the withers.
 *
 * @param nodeId the Raft peer id: the node's name
 * @param host the address the Raft port binds (and that peers dial)
 * @param port the Raft port (the environment's control port)
 * @param dataDir the agent's data directory; Raft keeps its log and snapshots under it
 * @param cluster the cluster's name
 * @param environment the environment id; with the cluster it names the Raft group
 * @param initialPeers the voters when forming a group (this node among them); empty when joining a
 *     formed group (a member adds this node) or recovering from {@code dataDir}
 * @param tls mutual TLS on the Raft port, or empty for plaintext
 * @param submitTimeout how long a write or a linearizable read may wait for a leader
 * @param snapshotThreshold applied entries between automatic snapshots
 */
public record ControlConfig(
    String nodeId,
    String host,
    int port,
    Path dataDir,
    String cluster,
    String environment,
    List<PeerAddress> initialPeers,
    Optional<ControlTls> tls,
    Duration submitTimeout,
    long snapshotThreshold) {

  /**
   * Three seconds: a new leader is elected within about one to two seconds of a failure (election
   * timeout 0.5-1 s plus a pre-vote round), so a write survives one failover, yet fails fast enough
   * for an HTTP client when there is no quorum at all.
   */
  public static final Duration DEFAULT_SUBMIT_TIMEOUT = Duration.ofSeconds(3);

  /**
   * 10,000 entries: a snapshot of a registry of ~1,000 members is a few hundred kilobytes, and
   * 10,000 log entries about as much, so the log never holds more than about one snapshot's worth
   * beyond the last snapshot, while snapshots are rare (minutes apart even at 50 commits/s).
   */
  public static final long DEFAULT_SNAPSHOT_THRESHOLD = 10_000;

  public ControlConfig {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(environment, "environment");
    initialPeers = List.copyOf(initialPeers);
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(submitTimeout, "submitTimeout");
    if (nodeId.isBlank()) {
      throw new IllegalArgumentException("nodeId must not be blank");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("Raft port out of range: " + port);
    }
    if (submitTimeout.isNegative() || submitTimeout.isZero()) {
      throw new IllegalArgumentException("submitTimeout must be positive: " + submitTimeout);
    }
    if (snapshotThreshold < 1) {
      throw new IllegalArgumentException(
          "snapshotThreshold must be positive: " + snapshotThreshold);
    }
    String self = nodeId;
    if (!initialPeers.isEmpty() && initialPeers.stream().noneMatch(p -> p.id().equals(self))) {
      throw new IllegalArgumentException(
          "initial peers " + initialPeers + " must include this node " + nodeId);
    }
  }

  /** Plaintext, the default timeout and snapshot threshold. */
  public static ControlConfig of(
      String nodeId,
      String host,
      int port,
      Path dataDir,
      String cluster,
      String environment,
      List<PeerAddress> initialPeers) {
    return new ControlConfig(
        nodeId,
        host,
        port,
        dataDir,
        cluster,
        environment,
        initialPeers,
        Optional.empty(),
        DEFAULT_SUBMIT_TIMEOUT,
        DEFAULT_SNAPSHOT_THRESHOLD);
  }

  public ControlConfig withTls(ControlTls files) {
    return new ControlConfig(
        nodeId,
        host,
        port,
        dataDir,
        cluster,
        environment,
        initialPeers,
        Optional.of(files),
        submitTimeout,
        snapshotThreshold);
  }

  public ControlConfig withSubmitTimeout(Duration timeout) {
    return new ControlConfig(
        nodeId,
        host,
        port,
        dataDir,
        cluster,
        environment,
        initialPeers,
        tls,
        timeout,
        snapshotThreshold);
  }

  public ControlConfig withSnapshotThreshold(long entries) {
    return new ControlConfig(
        nodeId,
        host,
        port,
        dataDir,
        cluster,
        environment,
        initialPeers,
        tls,
        submitTimeout,
        entries);
  }

  /** This node's Raft address, host:port. */
  public String address() {
    return host + ":" + port;
  }

  /**
   * The Raft group's id: the same on every node of one cluster and environment, and different
   * between environments, so a node pointed at another environment's control port is refused.
   */
  public UUID groupId() {
    return groupIdOf(cluster, environment);
  }

  /** The group id of {@code cluster} and {@code environment} (NUL cannot occur in either name). */
  public static UUID groupIdOf(String cluster, String environment) {
    return UUID.nameUUIDFromBytes((cluster + '\0' + environment).getBytes(StandardCharsets.UTF_8));
  }
}
