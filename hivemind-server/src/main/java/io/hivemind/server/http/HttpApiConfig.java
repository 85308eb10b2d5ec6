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
 * @param limits how many connections are served at once and how long a request may take to arrive
 */
public record HttpApiConfig(
    String host,
    int port,
    String agentVersion,
    Duration joinTimeout,
    Duration leaveTimeout,
    int maxBodyBytes,
    ConnectionLimits limits) {

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
   * A leave first drains the member's partitions (at most 60 s, issue 13), then waits for the LEFT
   * broadcast to go out (a few gossip rounds, well under a second on a LAN); 75 s bounds both.
   */
  public static final Duration DEFAULT_LEAVE_TIMEOUT = Duration.ofSeconds(75);

  /**
   * Bodies are KV values and event payloads (and service registrations later); 64 KiB bounds what a
   * confused or hostile client makes the agent buffer: 256 connections at most hold 16 MB. The
   * control plane would take KV values up to 512 KiB (Consul's limit), but at that size the cap's
   * worst case alone would be twice a plain agent's whole footprint.
   */
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  /** Checks each field; the messages name the offending value. */
  public HttpApiConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(agentVersion, "agentVersion");
    Objects.requireNonNull(limits, "limits");
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

  /** These settings with the default {@link ConnectionLimits}. */
  public HttpApiConfig(
      String host,
      int port,
      String agentVersion,
      Duration joinTimeout,
      Duration leaveTimeout,
      int maxBodyBytes) {
    this(
        host,
        port,
        agentVersion,
        joinTimeout,
        leaveTimeout,
        maxBodyBytes,
        ConnectionLimits.DEFAULTS);
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

  /** This configuration with other connection limits. */
  public HttpApiConfig withLimits(ConnectionLimits newLimits) {
    return new HttpApiConfig(
        host, port, agentVersion, joinTimeout, leaveTimeout, maxBodyBytes, newLimits);
  }

  /**
   * What one client, or many, can hold of the API: connections at once, and how long a request may
   * take to arrive. Together they bound the descriptors, memory and time a flood of slow
   * connections takes (the issue "Hostile and careless users": 20,000 connections that each
   * trickled a byte now and then, resetting the idle timer, held every descriptor of the process).
   *
   * @param maxConnections connections served at once; one more is answered 503 {@code
   *     too_many_connections} and closed
   * @param requestHeadTimeout how long a request line and headers may take to arrive in full,
   *     counted from the connection's start for its first request and from a request's first byte
   *     for later ones, however the bytes trickle; then 408 and the connection closes
   * @param requestBodyTimeout how long a body may take to arrive in full once its headers are in;
   *     then 408 and the connection closes
   */
  public record ConnectionLimits(
      int maxConnections, Duration requestHeadTimeout, Duration requestBodyTimeout) {

    /**
     * The API serves the tools of one host (the CLI, a scraper, local services): a few dozen
     * connections at most. 256 keeps the API well inside the process's file descriptors next to
     * gossip's 256 inbound streams: even under the smallest limit still common (1,024; the JVM on
     * Linux raises its soft limit to the hard one, usually far higher) the API and gossip together
     * hold half, leaving about 500 for the JVM's jars, event-loop selectors, outbound gossip
     * streams and logs (docs/adr/0002-http-server-netty.md, "Addendum").
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;

    /**
     * A request head is one packet for any real client; 10 s allows for a paused or very slow one,
     * and bounds how long a connection that trickles its headers (slowloris) holds a slot: the idle
     * timeout alone does not, every byte resets it.
     */
    public static final Duration DEFAULT_REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The largest body accepted (64 KiB) arrives in 20 s at 26 kbit/s, slower than any link a
     * client of its agent is on.
     */
    public static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(20);

    /** The defaults above. */
    public static final ConnectionLimits DEFAULTS =
        new ConnectionLimits(
            DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_HEAD_TIMEOUT, DEFAULT_REQUEST_BODY_TIMEOUT);

    /** Checks each field; the messages name the offending value. */
    public ConnectionLimits {
      if (maxConnections < 1) {
        throw new IllegalArgumentException(
            "max HTTP connections must be at least 1, got " + maxConnections);
      }
      requirePositive("request head timeout", requestHeadTimeout);
      requirePositive("request body timeout", requestBodyTimeout);
    }
  }

  private static void requirePositive(String what, Duration duration) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + duration);
    }
  }
}
