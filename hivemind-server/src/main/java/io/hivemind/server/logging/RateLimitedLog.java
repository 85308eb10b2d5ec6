package io.hivemind.server.logging;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Logs one line per key per interval, and says how many it left out: the first warning of a kind is
 * written at once, repeats within the interval are only counted, and the next line written for that
 * key ends with "(N more suppressed)". For warnings a peer or client can cause once per connection
 * or packet (accept failures when descriptors run out, refused connections, socket errors): a flood
 * then costs the log one line per interval instead of one per event (the issue "Hostile and
 * careless users": three stack traces a second while the HTTP API was flooded).
 *
 * <p>Time is passed in ({@code nowNanos}, from any monotonic source: a Netty event loop's ticker in
 * the agent, a mock ticker in tests), so nothing here reads a clock. Keys name a kind of warning
 * and must come from a small fixed set, never from a peer's bytes or address; past {@link
 * #MAX_KEYS} keys, new ones share one window, so a mistake there costs log lines, not memory.
 *
 * <p>Thread-safe: several event loops may share one (the gossip loops of {@code hivemind dev}). The
 * lock is held only to update a window, never while logging.
 */
public final class RateLimitedLog {

  /** Default interval: a flood of any rate costs one line per kind every 10 s. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  /** More distinct keys than any caller has; a bound on memory if one ever derives keys wrongly. */
  static final int MAX_KEYS = 64;

  private static final String OVERFLOW_KEY = "(other)";

  private final Logger logger;
  private final long intervalNanos;
  private final Map<String, Window> windows = new HashMap<>();

  /** Writes to {@code logger}, at most one line per key per {@code interval}. */
  public RateLimitedLog(Logger logger, Duration interval) {
    this.logger = Objects.requireNonNull(logger, "logger");
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    this.intervalNanos = interval.toNanos();
  }

  /** Writes to {@code logger} at most one line per key every {@link #DEFAULT_INTERVAL}. */
  public RateLimitedLog(Logger logger) {
    this(logger, DEFAULT_INTERVAL);
  }

  /**
   * Logs at WARN, as {@link Logger#warn(String, Object...)} would (a last {@link Throwable}
   * argument is logged with its stack trace), unless {@code key} logged less than an interval ago;
   * then the line is counted, and reported with the next one that is written.
   *
   * @return true if the line was written
   */
  public boolean warn(long nowNanos, String key, String format, Object... args) {
    return log(Level.WARN, nowNanos, key, format, args);
  }

  /** As {@link #warn}, at ERROR: for what an operator must fix (two agents sharing a name). */
  public boolean error(long nowNanos, String key, String format, Object... args) {
    return log(Level.ERROR, nowNanos, key, format, args);
  }

  private boolean log(Level level, long nowNanos, String key, String format, Object... args) {
    if (!logger.isEnabledForLevel(level)) {
      return false;
    }
    long suppressed = admit(nowNanos, key);
    if (suppressed < 0) {
      return false;
    }
    if (suppressed == 0) {
      logger.atLevel(level).log(format, args);
    } else {
      logger.atLevel(level).log(format + " ({} more suppressed)", withCount(args, suppressed));
    }
    return true;
  }

  /**
   * Whether {@code key} may log now: -1 if not (the line is counted), else how many lines were
   * suppressed since it last logged.
   */
  private synchronized long admit(long nowNanos, String key) {
    Window window = windows.get(key);
    if (window == null) {
      String kept = windows.size() < MAX_KEYS ? key : OVERFLOW_KEY;
      window = windows.get(kept);
      if (window == null) {
        windows.put(kept, new Window(nowNanos));
        return 0;
      }
    }
    // Compared as a difference, so that a ticker that wraps (nanoTime may) still works.
    if (nowNanos - window.loggedAtNanos < intervalNanos) {
      window.suppressed++;
      return -1;
    }
    long suppressed = window.suppressed;
    window.suppressed = 0;
    window.loggedAtNanos = nowNanos;
    return suppressed;
  }

  /** The count goes before a trailing throwable, so SLF4J still logs that as the exception. */
  private static Object[] withCount(Object[] args, long suppressed) {
    int n = args.length;
    boolean throwable = n > 0 && args[n - 1] instanceof Throwable;
    Object[] out = Arrays.copyOf(args, n + 1);
    if (throwable) {
      out[n - 1] = suppressed;
      out[n] = args[n - 1];
    } else {
      out[n] = suppressed;
    }
    return out;
  }

  /** When a key last logged, and how many of its lines were left out since. Guarded by the log. */
  private static final class Window {
    long loggedAtNanos;
    long suppressed;

    Window(long loggedAtNanos) {
      this.loggedAtNanos = loggedAtNanos;
    }
  }
}
