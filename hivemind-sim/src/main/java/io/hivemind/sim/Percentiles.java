package io.hivemind.sim;

import java.util.Arrays;

/**
 * A summary of measured durations by the nearest-rank method: the p-th percentile is the smallest
 * value with at least p % of the values at or below it, always one of the measured values.
 *
 * @param count how many values were measured; with 0 the other fields are 0 and mean nothing
 */
public record Percentiles(int count, long p50Millis, long p99Millis, long maxMillis) {

  /** Nothing measured. */
  public static final Percentiles NONE = new Percentiles(0, 0, 0, 0);

  /** Summarises {@code values} (milliseconds), which it does not modify. */
  public static Percentiles of(long... values) {
    if (values.length == 0) {
      return NONE;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return new Percentiles(
        sorted.length, nearestRank(sorted, 50), nearestRank(sorted, 99), sorted[sorted.length - 1]);
  }

  /** The value at rank ⌈p/100 × n⌉ (1-based) of sorted values. */
  static long nearestRank(long[] sorted, int percentile) {
    long rank = ((long) percentile * sorted.length + 99) / 100;
    return sorted[(int) Math.max(rank, 1) - 1];
  }

  public boolean isEmpty() {
    return count == 0;
  }
}
