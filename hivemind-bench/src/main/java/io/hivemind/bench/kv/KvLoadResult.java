package io.hivemind.bench.kv;

import java.util.Map;

/**
 * What one load level measured, warm-up excluded.
 *
 * @param system the system written to
 * @param inFlight writes in flight (one a worker, closed loop)
 * @param measuredNanos the length of the measured window
 * @param latency acknowledged writes' latencies
 * @param errorsByReason failed writes, counted by reason
 */
record KvLoadResult(
    String system,
    int inFlight,
    long measuredNanos,
    LatencySummary latency,
    Map<String, Long> errorsByReason) {

  KvLoadResult {
    errorsByReason = Map.copyOf(errorsByReason);
  }

  long errors() {
    return errorsByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Acknowledged writes a second: those started inside the measured window, over its length. */
  double writesPerSecond() {
    return latency.count() / (measuredNanos / 1e9);
  }
}
