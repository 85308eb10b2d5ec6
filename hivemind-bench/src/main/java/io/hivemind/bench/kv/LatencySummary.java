package io.hivemind.bench.kv;

/**
 * Percentiles of a set of latencies, nearest-rank (the smallest sample with at least q of all
 * samples at or below it), so every figure is a latency that was really measured.
 *
 * @param count the number of samples
 * @param p50Nanos median; 0 when there are no samples, like every figure here
 * @param p99Nanos 99th percentile
 * @param p999Nanos 99.9th percentile
 * @param maxNanos the slowest sample
 */
record LatencySummary(int count, long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos) {

  static LatencySummary ofSorted(long[] sorted) {
    if (sorted.length == 0) {
      return new LatencySummary(0, 0, 0, 0, 0);
    }
    return new LatencySummary(
        sorted.length,
        nearestRank(sorted, 0.50),
        nearestRank(sorted, 0.99),
        nearestRank(sorted, 0.999),
        sorted[sorted.length - 1]);
  }

  static long nearestRank(long[] sorted, double quantile) {
    if (sorted.length == 0 || !(quantile > 0 && quantile <= 1)) {
      throw new IllegalArgumentException(
          "quantile " + quantile + " of " + sorted.length + " samples");
    }
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }
}
