package io.hivemind.server.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the gossip transport listens. Start from {@link #of(String, int)} and change limits
 * with the {@code withXxx} methods.
 *
 * @param bindHost address to bind, {@code 0.0.0.0} for every interface
 * @param bindPort UDP and TCP port; 0 picks a free one (tests), see {@link
 *     GossipTransport#boundPort()}
 * @param maxFrameBytes largest stream frame accepted, checked on the length prefix before any
 *     buffer is allocated
 * @param maxDatagramBytes largest datagram accepted; longer ones are dropped as oversized
 * @param connectTimeout how long an outbound stream may take to connect
 * @param readTimeout how long a stream may stay silent before it is closed, both ways
 * @param maxInboundStreams inbound stream connections open at once; more are closed at once
 */
public record TransportConfig(
    String bindHost,
    int bindPort,
    int maxFrameBytes,
    int maxDatagramBytes,
    Duration connectTimeout,
    Duration readTimeout,
    int maxInboundStreams) {

  /**
   * 16 MiB: a push-pull of 20,000 members with full metadata, far beyond the clusters this targets,
   * and small enough that a bogus length prefix cannot make a node allocate much.
   */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

  /**
   * 8 KiB: nodes send at most {@code maxPacketSize} (1,400 by default) plus {@value
   * GossipKeyring#OVERHEAD_BYTES} bytes of encryption, so this leaves room for jumbo-frame profiles
   * while a read never allocates the 64 KiB a UDP datagram could be.
   */
  public static final int DEFAULT_MAX_DATAGRAM_BYTES = 8 * 1024;

  /** memberlist's LAN TCP timeout; the core times streams out by itself too. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** As the connect timeout: a peer that accepted but never answers is as good as absent. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Push-pulls and fallback probes are rare (a few a second even in large clusters), so 256 open at
   * once only happens under a connection flood, which must not exhaust file descriptors.
   */
  public static final int DEFAULT_MAX_INBOUND_STREAMS = 256;

  private static final int REQUEST_DEADLINE_READ_TIMEOUTS = 3;

  public TransportConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    if (bindHost.isBlank()) {
      throw new IllegalArgumentException("bindHost must not be blank");
    }
    if (bindPort < 0 || bindPort > 65_535) {
      throw new IllegalArgumentException("bindPort out of range 0..65535: " + bindPort);
    }
    requireAtLeast("maxFrameBytes", maxFrameBytes, 1024);
    requireAtLeast("maxDatagramBytes", maxDatagramBytes, 512);
    if (maxDatagramBytes > 65_507) {
      throw new IllegalArgumentException(
          "maxDatagramBytes must be at most 65507 (the largest UDP payload), got "
              + maxDatagramBytes);
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("readTimeout", readTimeout);
    requireAtLeast("maxInboundStreams", maxInboundStreams, 1);
  }

  /** Default limits on {@code bindHost:bindPort}. */
  public static TransportConfig of(String bindHost, int bindPort) {
    return new TransportConfig(
        bindHost,
        bindPort,
        DEFAULT_MAX_FRAME_BYTES,
        DEFAULT_MAX_DATAGRAM_BYTES,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_READ_TIMEOUT,
        DEFAULT_MAX_INBOUND_STREAMS);
  }

  public TransportConfig withMaxFrameBytes(int value) {
    return new TransportConfig(
        bindHost,
        bindPort,
        value,
        maxDatagramBytes,
        connectTimeout,
        readTimeout,
        maxInboundStreams);
  }

  public TransportConfig withMaxDatagramBytes(int value) {
    return new TransportConfig(
        bindHost, bindPort, maxFrameBytes, value, connectTimeout, readTimeout, maxInboundStreams);
  }

  public TransportConfig withTimeouts(Duration connect, Duration read) {
    return new TransportConfig(
        bindHost, bindPort, maxFrameBytes, maxDatagramBytes, connect, read, maxInboundStreams);
  }

  public TransportConfig withMaxInboundStreams(int value) {
    return new TransportConfig(
        bindHost, bindPort, maxFrameBytes, maxDatagramBytes, connectTimeout, readTimeout, value);
  }

  /**
   * How long an inbound stream may take to deliver its whole request: three read timeouts (30 s by
   * default). A push-pull of 10,000 members (about 0.7 MB) arrives well within that even at 1
   * Mbit/s; a peer trickling bytes to hold a stream slot is cut off here, since each byte restarts
   * the read timeout.
   */
  public Duration requestDeadline() {
    return readTimeout.multipliedBy(REQUEST_DEADLINE_READ_TIMEOUTS);
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
