package io.hivemind.client;

import java.time.Duration;
import java.util.Random;

/**
 * Delays between reconnection rounds: exponential with full jitter (each delay uniform between half
 * and all of {@code first * 2^attempt}, capped), so that the clients of a host whose agents
 * restarted do not all come back in the same millisecond (issue 11).
 */
final class Backoff {

  /** The first delay: a restarting agent is usually back within a fraction of a second. */
  static final Duration FIRST = Duration.ofMillis(100);

  /**
   * The longest delay (issue 11: capped at 5 minutes): a client whose agents are down for long
   * still checks every few minutes, and a thousand of them cost an agent a few connects a second.
   */
  static final Duration CAP = Duration.ofMinutes(5);

  private final Random random;
  private int attempt;

  Backoff(Random random) {
    this.random = random;
  }

  /** The delay before the next round; each call doubles the next one, up to {@link #CAP}. */
  long nextDelayMillis() {
    long ceiling = ceilingMillis(attempt);
    if (attempt < 62) {
      attempt++;
    }
    long half = ceiling / 2;
    return half + (long) (random.nextDouble() * (ceiling - half + 1));
  }

  /** A connection worked: the next failure starts again from {@link #FIRST}. */
  void reset() {
    attempt = 0;
  }

  static long ceilingMillis(int attempt) {
    long cap = CAP.toMillis();
    long first = FIRST.toMillis();
    if (attempt >= 32 || first << attempt >= cap) {
      return cap;
    }
    return first << attempt;
  }
}
