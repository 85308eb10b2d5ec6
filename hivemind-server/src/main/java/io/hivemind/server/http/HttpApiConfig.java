package io.hivemind.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link HttpApi}. {@link #of} gives the defaults; the canonical constructor is for
 * tests and operators that change a limit.
 *
 * @param host the address to listen on, such as {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port the port to listen on; 0 picks a free one ({@link HttpApi#port()} tells which)
 * @param agentVersion the version {@code /v1/agent/self} reports
 * @param joinTimeout how long a join may take before the API cancels it and answers {@code
 *     join_timeout}
 * @param leaveTimeout how long a leave may take before the API answers {@code leave_failed}
 * @param maxBodyBytes largest request body accepted; larger ones get 413
 */
public record HttpApiConfig(
    String host,
    int port,
    String agentVersion,
    Duration joinTimeout,
    Duration leaveTimeout,
    int maxBodyBytes) {

  /**
   * Loopback only: join and leave are not authenticated, so (like Consul's {@code client_addr}) the
   * API is reachable from other hosts only when an operator says so.
   */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /**
   * A join is one TCP state exchange with the seed (memberlist bounds it at 10 s); 30 s leaves room
   * for a slow seed yet still answers a client whose seed never replies.
   */
  public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A leave waits for the LEFT broadcast to go out (a few gossip rounds, well under a second on a
   * LAN); 30 s is only a bound for a wedged agent.
   */
  public static final Duration DEFAULT_LEAVE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * No endpoint takes a body yet; 64 KiB bounds what a confused or hostile client makes the agent
   * buffer, and leaves room for service registrations later.
   */
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  /** Checks each field; the messages name the offending value. */
  public HttpApiConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(agentVersion, "agentVersion");
    if (host.isBlank()) {
      throw new IllegalArgumentException("HTTP host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("HTTP port out of range 0..65535: " + port);
    }
    requirePositive("join timeout", joinTimeout);
    requirePositive("leave timeout", leaveTimeout);
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("max body bytes must not be negative: " + maxBodyBytes);
    }
  }

  /** The defaults on {@code host:port}. */
  public static HttpApiConfig of(String host, int port, String agentVersion) {
    return new HttpApiConfig(
        host,
        port,
        agentVersion,
        DEFAULT_JOIN_TIMEOUT,
        DEFAULT_LEAVE_TIMEOUT,
        DEFAULT_MAX_BODY_BYTES);
  }

  private static void requirePositive(String what, Duration duration) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + duration);
    }
  }
}
