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
          "%-9s %9s %10s %8s %8s %9s %8s %7s %8s %9s %8s",
          "system",
          "in-flight",
          "writes/s",
          "p50 ms",
          "p99 ms",
          "p99.9 ms",
          "max ms",
          "errors",
          "server%",
          "us/write",
          "client%");

  private KvLoadReport() {}

  /**
   * The level's figures; the CPU columns (the members' CPU as percent of one core, their CPU time
   * per acknowledged write, the load generator's CPU) read "-" when {@code cpu} is null.
   */
  static String row(KvLoadResult result, CpuUse cpu) {
    LatencySummary latency = result.latency();
    return String.format(
        Locale.ROOT,
        "%-9s %9d %10.1f %8.2f %8.2f %9.2f %8.2f %7d %s",
        result.system(),
        result.inFlight(),
        result.writesPerSecond(),
        millis(latency.p50Nanos()),
        millis(latency.p99Nanos()),
        millis(latency.p999Nanos()),
        millis(latency.maxNanos()),
        result.errors(),
        cpuColumns(cpu, latency.count()));
  }

  private static String cpuColumns(CpuUse cpu, long writes) {
    if (cpu == null) {
      return String.format(Locale.ROOT, "%8s %9s %8s", "-", "-", "-");
    }
    return String.format(
        Locale.ROOT,
        "%8.1f %9.1f %8.1f",
        cpu.serverPercent(),
        cpu.serverMicrosPerWrite(writes),
        cpu.clientPercent());
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
