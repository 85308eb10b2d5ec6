package io.hivemind.sim.catalog;

import io.hivemind.sim.Percentiles;

/**
 * What a catalogue scenario measured.
 *
 * @param visibility from an owner draining a change to the last live node applying it, for changes
 *     made outside any partition
 * @param bytesPerNodePerSecondMean catalogue bytes sent plus received per node per second, mean
 * @param bytesPerNodePerSecondMax the busiest node's (a control node: the relay)
 * @param bytesPerPlainNodePerSecondMax the busiest plain agent's
 * @param repairsDeferred owners a digest answer left out because the peer's missing changes were in
 *     flight on the link ({@link io.hivemind.core.catalog.DigestRepair}), over all links
 * @param messages catalogue messages delivered
 * @param changes owner changes drained (deltas)
 * @param healConvergenceMillis from the partition's heal until every live node held every change
 *     made during it; -1 without a partition or when it never converged
 * @param removedInstances instances dropped at committed removals of crashed owners
 * @param converged whether every live replica held exactly every live owner's ledger at the end
 */
public record CatalogueReport(
    CatalogueScenario scenario,
    Percentiles visibility,
    long bytesPerNodePerSecondMean,
    long bytesPerNodePerSecondMax,
    long bytesPerPlainNodePerSecondMax,
    long repairsDeferred,
    long messages,
    long changes,
    long healConvergenceMillis,
    long removedInstances,
    boolean converged) {

  /** The report as lines of text. */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "catalogue: %d nodes (%d control), %d registrations/s for %d s, seed %d%n",
            scenario.nodes(),
            scenario.controlNodes(),
            scenario.registrationsPerSecond(),
            scenario.durationMillis() / 1000,
            scenario.seed()));
    out.append(
        String.format(
            "visible everywhere: p50 %d ms, p99 %d ms, max %d ms over %d changes%n",
            visibility.p50Millis(),
            visibility.p99Millis(),
            visibility.maxMillis(),
            visibility.count()));
    out.append(
        String.format(
            "bytes per node per second: mean %d, max %d (relay), plain agents max %d%n",
            bytesPerNodePerSecondMean, bytesPerNodePerSecondMax, bytesPerPlainNodePerSecondMax));
    out.append(
        String.format(
            "digest repairs deferred (changes in flight): %d owner states%n", repairsDeferred));
    out.append(String.format("messages: %d, changes drained: %d%n", messages, changes));
    if (scenario.partition() != null) {
      out.append(
          healConvergenceMillis >= 0
              ? String.format("converged %d ms after the heal%n", healConvergenceMillis)
              : "never converged after the heal\n");
    }
    if (scenario.crashes() > 0) {
      out.append(
          String.format(
              "crashed owners: %d, %d instances dropped at their committed removals (%d ms after"
                  + " each crash)%n",
              scenario.crashes(), removedInstances, scenario.removalDelayMillis()));
    }
    out.append(converged ? "every live replica equals the owners' ledgers\n" : "REPLICAS DIFFER\n");
    return out.toString();
  }
}
