package io.hivemind.server.transport;

import io.hivemind.core.control.WireControlCodec;
import java.time.Duration;
import java.util.Objects;

/**
 * A control node's gateway ({@link ControlGatewayServer}).
 *
 * @param bindHost the address to listen on
 * @param bindPort the port ({@code WellKnownPorts.controlGateway()}; 0 picks a free one)
 * @param maxInboundFrameBytes the largest frame a follower may send (a submit's entry)
 * @param heartbeatInterval how often every follower hears the leader, term and commit index
 * @param maxConnections followers served at once; more are closed at once
 * @param maxPendingRequestsPerConnection submits and reads of one follower in flight
 * @param writeBufferHighBytes queued bytes above which a follower's channel is unwritable
 * @param slowFollowerGrace how long a follower may stay unwritable before it is cut off (it
 *     reconnects and catches up from its last index)
 * @param maxQueuedBytes queued bytes at which a follower is cut off at once
 * @param retainedEncodedEntries encoded entry frames kept for sharing
 * @param environment the id of this node's environment: a follower or mesh peer that declares
 *     another one, or none, is refused at its handshake (issue 11)
 */
public record GatewayServerConfig(
    String bindHost,
    int bindPort,
    int maxInboundFrameBytes,
    Duration heartbeatInterval,
    int maxConnections,
    int maxPendingRequestsPerConnection,
    int writeBufferHighBytes,
    Duration slowFollowerGrace,
    long maxQueuedBytes,
    int retainedEncodedEntries,
    String environment) {

  /**
   * A submit carries one entry: the largest entry the log accepts ({@link
   * WireControlCodec#MAX_ENTRY_BYTES}) plus room for the request's own fields.
   */
  public static final int DEFAULT_MAX_INBOUND_FRAME_BYTES =
      WireControlCodec.MAX_ENTRY_BYTES + 1_024;

  /** Matches {@code FollowerConfig.DEFAULT_HEARTBEAT_INTERVAL}: followers count missed ones. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

  /** 1,000 agents on 3 control nodes is ~333 each, all of them on one node while two are down. */
  public static final int DEFAULT_MAX_CONNECTIONS = 4_096;

  public static final int DEFAULT_MAX_PENDING_REQUESTS = 256;

  /** A snapshot of a large registry is a few MB; the feed's entries are small. */
  public static final int DEFAULT_WRITE_BUFFER_HIGH_BYTES = 8 << 20;

  /**
   * Longer than a GC pause or a TCP retransmission or two, shorter than the follower's patience.
   */
  public static final Duration DEFAULT_SLOW_FOLLOWER_GRACE = Duration.ofSeconds(5);

  /** Most of it is shared buffers; past this the follower is better served by catching up. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 64L << 20;

  public static final int DEFAULT_RETAINED_ENCODED_ENTRIES = 1_024;

  public GatewayServerConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(slowFollowerGrace, "slowFollowerGrace");
    Objects.requireNonNull(environment, "environment");
    if (environment.isBlank()) {
      throw new IllegalArgumentException("environment must be named, got '" + environment + "'");
    }
    if (bindPort < 0 || bindPort > 65_535) {
      throw new IllegalArgumentException("bindPort must be 0 to 65535, got " + bindPort);
    }
    requireAtLeastOne("maxInboundFrameBytes", maxInboundFrameBytes);
    requireAtLeastOne("maxConnections", maxConnections);
    requireAtLeastOne("maxPendingRequestsPerConnection", maxPendingRequestsPerConnection);
    requireAtLeastOne("writeBufferHighBytes", writeBufferHighBytes);
    requireAtLeastOne("retainedEncodedEntries", retainedEncodedEntries);
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException(
          "heartbeatInterval must be positive, got " + heartbeatInterval);
    }
    if (maxQueuedBytes < writeBufferHighBytes) {
      throw new IllegalArgumentException(
          "maxQueuedBytes "
              + maxQueuedBytes
              + " is below writeBufferHighBytes "
              + writeBufferHighBytes);
    }
  }

  /** The defaults, listening on {@code bindHost:bindPort}, serving {@code environment}'s nodes. */
  public static GatewayServerConfig of(String bindHost, int bindPort, String environment) {
    return new GatewayServerConfig(
        bindHost,
        bindPort,
        DEFAULT_MAX_INBOUND_FRAME_BYTES,
        DEFAULT_HEARTBEAT_INTERVAL,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_PENDING_REQUESTS,
        DEFAULT_WRITE_BUFFER_HIGH_BYTES,
        DEFAULT_SLOW_FOLLOWER_GRACE,
        DEFAULT_MAX_QUEUED_BYTES,
        DEFAULT_RETAINED_ENCODED_ENTRIES,
        environment);
  }

  public GatewayServerConfig withHeartbeatInterval(Duration interval) {
    return new GatewayServerConfig(
        bindHost,
        bindPort,
        maxInboundFrameBytes,
        interval,
        maxConnections,
        maxPendingRequestsPerConnection,
        writeBufferHighBytes,
        slowFollowerGrace,
        maxQueuedBytes,
        retainedEncodedEntries,
        environment);
  }

  private static void requireAtLeastOne(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }
}
