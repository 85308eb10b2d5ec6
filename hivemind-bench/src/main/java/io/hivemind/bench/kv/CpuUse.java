package io.hivemind.bench.kv;

/**
 * CPU time used over one load level's measured window.
 *
 * @param serverNanos by the members of the system under test, summed
 * @param clientNanos by this process, the load generator
 * @param windowNanos the window's wall-clock length
 */
record CpuUse(long serverNanos, long clientNanos, long windowNanos) {

  /** Percent of one core, summed over the members (2 cores: at most 200). */
  double serverPercent() {
    return 100.0 * serverNanos / windowNanos;
  }

  double clientPercent() {
    return 100.0 * clientNanos / windowNanos;
  }

  /** The members' CPU time per acknowledged write: what a write costs, whatever else runs. */
  double serverMicrosPerWrite(long writes) {
    return writes == 0 ? 0 : serverNanos / 1e3 / writes;
  }
}
