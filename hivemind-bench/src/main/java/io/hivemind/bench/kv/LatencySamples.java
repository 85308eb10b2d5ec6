package io.hivemind.bench.kv;

import java.util.Arrays;
import java.util.List;

/**
 * The latencies one load worker measured, in nanoseconds: a growable {@code long[]} (no boxing, no
 * histogram library), sorted once when summarized. Owned by one worker thread until the run ends;
 * {@link #merge} then combines the workers' samples on the caller's thread.
 */
final class LatencySamples {

  private static final int INITIAL_CAPACITY = 1024;

  private long[] nanos = new long[INITIAL_CAPACITY];
  private int size;

  void add(long latencyNanos) {
    if (latencyNanos < 0) {
      throw new IllegalArgumentException("negative latency " + latencyNanos);
    }
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = latencyNanos;
  }

  int size() {
    return size;
  }

  static LatencySamples merge(List<LatencySamples> parts) {
    LatencySamples merged = new LatencySamples();
    int total = parts.stream().mapToInt(LatencySamples::size).sum();
    merged.nanos = new long[Math.max(total, INITIAL_CAPACITY)];
    for (LatencySamples part : parts) {
      System.arraycopy(part.nanos, 0, merged.nanos, merged.size, part.size);
      merged.size += part.size;
    }
    return merged;
  }

  LatencySummary summarize() {
    long[] sorted = Arrays.copyOf(nanos, size);
    Arrays.sort(sorted);
    return LatencySummary.ofSorted(sorted);
  }
}
