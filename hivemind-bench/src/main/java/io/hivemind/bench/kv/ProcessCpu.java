package io.hivemind.bench.kv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU time (user + system) that a set of processes has used so far, from {@code
 * /proc/PID/stat}: Linux only, as the scripts that start the members are.
 */
final class ProcessCpu {

  /** /proc counts in clock ticks of USER_HZ, which Linux fixes at 100 a second for user space. */
  private static final long NANOS_PER_TICK = 10_000_000;

  private final List<Long> pids;

  ProcessCpu(List<Long> pids) {
    this.pids = List.copyOf(pids);
  }

  /** The sum over the processes, in nanoseconds; fails when one of them is gone. */
  long nanos() throws IOException {
    long ticks = 0;
    for (long pid : pids) {
      ticks += ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }
    return ticks * NANOS_PER_TICK;
  }

  /**
   * utime + stime (fields 14 and 15) of a stat line. The command name (field 2) is in parentheses
   * and may hold spaces and parentheses itself, so fields are counted after its last ')'.
   */
  static long ticks(String stat) {
    int end = stat.lastIndexOf(')');
    if (end < 0) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
    }
    String[] fields = stat.substring(end + 2).trim().split(" +");
    if (fields.length < 13) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
    }
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
