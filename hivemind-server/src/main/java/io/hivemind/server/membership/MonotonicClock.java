package io.hivemind.server.membership;

import java.util.function.LongSupplier;

/**
 * The default node clock: wall-clock milliseconds at start, then advanced by {@link
 * System#nanoTime()}. The core compares deadlines only, so what matters is that time never jumps:
 * with {@link System#currentTimeMillis()} an NTP step back of an hour would freeze every timer
 * (probes, suspicion, gossip) for that hour, and a step forward would fire them all at once.
 * Anchoring at the wall clock keeps the numbers readable in logs.
 */
final class MonotonicClock implements LongSupplier {

  private final long startMillis = System.currentTimeMillis();
  private final long startNanos = System.nanoTime();

  private MonotonicClock() {}

  static MonotonicClock startingNow() {
    return new MonotonicClock();
  }

  @Override
  public long getAsLong() {
    return startMillis + (System.nanoTime() - startNanos) / 1_000_000;
  }
}
