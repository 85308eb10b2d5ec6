package io.hivemind.server.control;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delays between connection attempts: the first attempt after a working connection dropped goes at
 * once (to another gateway: fail over fast), then {@code min}, doubling up to {@code max}, each
 * with jitter (half to all of it) so that agents cut off together do not come back together. Not
 * thread-safe: owned by the follower's loop.
 */
final class Backoff {

  private final long minMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private int failures;

  Backoff(Duration min, Duration max, RandomGenerator random) {
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  long nextDelayMillis() {
    int previous = failures++;
    if (previous == 0) {
      return 0;
    }
    long ceiling = minMillis << Math.min(previous - 1, 30);
    long delay = Math.min(maxMillis, ceiling < 0 ? maxMillis : ceiling);
    return delay / 2 + random.nextLong(delay / 2 + 1);
  }

  /** A connection worked (the gateway spoke): the next failure fails over at once again. */
  void reset() {
    failures = 0;
  }

  int failures() {
    return failures;
  }
}
