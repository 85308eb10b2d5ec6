package io.hivemind.bench.kv;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints the figures: one table row a load level, in columns that a script can cut (the first
 * column is the system's name), then any errors by reason.
 */
final class KvLoadReport {

  static final String HEADER =
      String.format(
          Locale.ROOT,
          "%-9s %9s %10s %8s %8s %9s %8s %7s",
          "system",
          "in-flight",
          "writes/s",
          "p50 ms",
          "p99 ms",
          "p99.9 ms",
          "max ms",
          "errors");

  private KvLoadReport() {}

  static String row(KvLoadResult result) {
    LatencySummary latency = result.latency();
    return String.format(
        Locale.ROOT,
        "%-9s %9d %10.1f %8.2f %8.2f %9.2f %8.2f %7d",
        result.system(),
        result.inFlight(),
        result.writesPerSecond(),
        millis(latency.p50Nanos()),
        millis(latency.p99Nanos()),
        millis(latency.p999Nanos()),
        millis(latency.maxNanos()),
        result.errors());
  }

  /** One line a reason, most frequent first; empty when there were no errors. */
  static String errors(KvLoadResult result) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(result.errorsByReason())
        .entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .forEach(
                e ->
                    text.append(
                        String.format(
                            Locale.ROOT,
                            "  %s, %d in flight: %d x %s%n",
                            result.system(),
                            result.inFlight(),
                            e.getValue(),
                            e.getKey())));
    return text.toString();
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
