package io.hivemind.server.control;

import java.time.Duration;
import java.util.Objects;

/**
 * How a plain agent follows the control plane ({@link FollowerControlPlane}).
 *
 * @param heartbeatInterval how often gateways send heartbeats; must match the gateways'
 * @param missedHeartbeats heartbeat intervals of silence after which the follower gives up on its
 *     gateway and fails over to another
 * @param minBackoff the delay before the second attempt in a row to connect
 * @param maxBackoff the cap of the exponential back-off between attempts
 * @param requestTimeout how long a submit or linearizable read may wait for the gateway's answer
 *     before it fails with {@link NoQuorumException}
 * @param maxPendingRequests submits and reads in flight at once; more are refused at once
 */
public record FollowerConfig(
    Duration heartbeatInterval,
    int missedHeartbeats,
    Duration minBackoff,
    Duration maxBackoff,
    Duration requestTimeout,
    int maxPendingRequests) {

  /**
   * A gateway silent for 3 intervals is gone: one lost heartbeat is not enough to fail over, and 3
   * s bounds how long a follower applies nothing after its control node died.
   */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

  public static final int DEFAULT_MISSED_HEARTBEATS = 3;

  public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(100);

  /**
   * 5 s, not the 5 minutes of the HTTP clients: there are only 3 to 5 control nodes, so
   * even 1,000 agents retrying every 5 s cost them 200 connects a second, and a longer cap would
   * keep agents degraded for minutes after the control plane is back.
   */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  /** Longer than a leader election (~1 s measured) plus a commit, shorter than an HTTP timeout. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  public static final int DEFAULT_MAX_PENDING_REQUESTS = 1_024;

  public FollowerConfig {
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(minBackoff, "minBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    requirePositive("heartbeatInterval", heartbeatInterval);
    requirePositive("minBackoff", minBackoff);
    requirePositive("requestTimeout", requestTimeout);
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff " + maxBackoff + " is below minBackoff " + minBackoff);
    }
    if (missedHeartbeats < 1) {
      throw new IllegalArgumentException(
          "missedHeartbeats must be at least 1, got " + missedHeartbeats);
    }
    if (maxPendingRequests < 1) {
      throw new IllegalArgumentException(
          "maxPendingRequests must be at least 1, got " + maxPendingRequests);
    }
  }

  public static FollowerConfig defaults() {
    return new FollowerConfig(
        DEFAULT_HEARTBEAT_INTERVAL,
        DEFAULT_MISSED_HEARTBEATS,
        DEFAULT_MIN_BACKOFF,
        DEFAULT_MAX_BACKOFF,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MAX_PENDING_REQUESTS);
  }

  public FollowerConfig withHeartbeatInterval(Duration interval) {
    return new FollowerConfig(
        interval, missedHeartbeats, minBackoff, maxBackoff, requestTimeout, maxPendingRequests);
  }

  public FollowerConfig withRequestTimeout(Duration timeout) {
    return new FollowerConfig(
        heartbeatInterval, missedHeartbeats, minBackoff, maxBackoff, timeout, maxPendingRequests);
  }

  private static void requirePositive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
