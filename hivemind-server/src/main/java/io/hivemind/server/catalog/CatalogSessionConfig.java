package io.hivemind.server.catalog;

import io.hivemind.core.catalog.CatalogSessions;
import java.time.Duration;

/**
 * The catalogue session service's knobs.
 *
 * @param grace how long a session outlives its connection
 * @param heartbeat how often clients ping; a connection silent for {@link #idleTimeout()} is closed
 * @param maxSessions sessions one agent holds at once
 */
public record CatalogSessionConfig(Duration grace, Duration heartbeat, int maxSessions) {

  public CatalogSessionConfig {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative, got " + grace);
    }
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat must be positive, got " + heartbeat);
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be positive, got " + maxSessions);
    }
  }

  /** The defaults of {@link CatalogSessions}: a 5 s grace, pings every 1.5 s. */
  public static CatalogSessionConfig defaults() {
    return new CatalogSessionConfig(
        CatalogSessions.DEFAULT_GRACE,
        CatalogSessions.DEFAULT_HEARTBEAT,
        CatalogSessions.DEFAULT_MAX_SESSIONS);
  }

  /**
   * A connection that sends nothing for three heartbeats is taken for dead and closed (its
   * session's grace starts): a half-open TCP connection would otherwise hold the session for ever.
   */
  public Duration idleTimeout() {
    return heartbeat.multipliedBy(3);
  }
}
