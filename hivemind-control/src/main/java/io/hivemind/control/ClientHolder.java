package io.hivemind.control;

import io.hivemind.server.control.NoQuorumException;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis client a control node sends its proposals with, built for the group's current
 * configuration and rebuilt when that changes (a client only knows the peers it was built with, and
 * a node that joined an existing group started with none).
 *
 * <p>Thread-safe: the fields are guarded by this holder's lock, never held while a client closes;
 * the client itself is thread-safe.
 */
final class ClientHolder {

  private static final Logger LOG = LoggerFactory.getLogger(ClientHolder.class);

  /**
   * Pause between a client's attempts (no leader yet, the leader moved, a connection refused): long
   * enough not to spin while an election runs, short enough to find a new leader promptly.
   */
  static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(200, TimeUnit.MILLISECONDS);

  private final ControlConfig config;
  private final RaftGroupId groupId;
  private final RaftProperties properties;
  private final Parameters parameters;
  private RaftClient client;
  private List<RaftPeer> peers = List.of();
  private boolean closed;

  ClientHolder(ControlConfig config, RaftGroupId groupId, Parameters parameters) {
    this.parameters = parameters;
    this.config = config;
    this.groupId = groupId;
    this.properties = RatisSettings.properties(config);
  }

  /** A client for the division's current configuration; NoQuorum when it has no peers yet. */
  synchronized RaftClient client(RaftServer.Division division) {
    if (closed) {
      throw new IllegalStateException("control plane closed");
    }
    List<RaftPeer> current =
        division.getRaftConf().getAllPeers().stream()
            .sorted(Comparator.comparing(p -> p.getId().toString()))
            .toList();
    if (current.isEmpty()) {
      throw new NoQuorumException("this node is not in a Raft configuration yet");
    }
    if (client == null || !current.equals(peers)) {
      retire(client);
      client =
          RaftClient.newBuilder()
              .setRaftGroup(RaftGroup.valueOf(groupId, current))
              .setProperties(properties)
              .setParameters(parameters)
              .setRetryPolicy(retryPolicy())
              .build();
      peers = current;
    }
    return client;
  }

  /** Attempts enough to span the submit bound; the caller's timeout ends the wait anyway. */
  private RetryPolicy retryPolicy() {
    long attempts = config.submitTimeout().toMillis() / RETRY_SLEEP.toLong(TimeUnit.MILLISECONDS);
    return RetryPolicies.retryUpToMaximumCountWithFixedSleep(
        (int) Math.max(attempts, 1), RETRY_SLEEP);
  }

  /**
   * Closes a client built for an older configuration once the requests it carries have had the
   * whole submit bound to finish: closing it at once would fail them for no reason of theirs.
   */
  private void retire(RaftClient old) {
    if (old != null) {
      CompletableFuture.delayedExecutor(config.submitTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> closeQuietly(old));
    }
  }

  /**
   * Drops {@code broken} if it is still the client handed out, so the next call builds a new one: a
   * client whose ordered window closed ({@link Failures#breaksClient}) fails every request (Ratis's
   * {@code SlidingWindow.Client.fail} keeps the exception for good), so a node whose proposals once
   * ran out of retries (no quorum for a submit timeout) could never propose again, even with its
   * quorum back; MinorityIT shows it. Called from Ratis's callbacks: it never closes a client
   * itself, since closing fails the client's pending requests, whose callbacks come here again.
   */
  void discard(RaftClient broken) {
    synchronized (this) {
      if (client != broken) {
        return;
      }
      client = null;
    }
    closeInBackground(broken);
  }

  /**
   * Closes the client outside the lock: closing completes its pending requests, and their callbacks
   * call {@link #discard} (which waits for the lock) on the threads the close waits for.
   */
  void close() {
    RaftClient last;
    synchronized (this) {
      closed = true;
      last = client;
      client = null;
    }
    closeQuietly(last);
  }

  /**
   * A replaced client's close waits for its connections: not on a caller's or callback's thread.
   */
  private static void closeInBackground(RaftClient old) {
    if (old != null) {
      Thread closer = new Thread(() -> closeQuietly(old), "hivemind-raft-client-close");
      closer.setDaemon(true);
      closer.start();
    }
  }

  private static void closeQuietly(RaftClient old) {
    if (old == null) {
      return;
    }
    try {
      old.close();
    } catch (IOException e) {
      LOG.debug("closing a Raft client failed", e);
    }
  }
}
