package io.hivemind.core.control;

/**
 * The removal rule's parameters. Every replica must use the same policy (it is part of the state
 * machine's behaviour), so agents use {@link #DEFAULT}; the simulator may try others.
 *
 * @param confirmMillis how long a suspicion shared by enough independent observers must stand
 *     before the member is removed (time for a refutation to arrive)
 * @param suspicionTimeoutMillis how long a suspicion that too few observers share may stand before
 *     the member is removed anyway (only where the cluster has no other observer); also how long
 *     agreeing observers that doubt their own health must wait
 * @param requiredObservers independent observers needed for the fast path, where the cluster has
 *     that many other members (at least 2: one observer alone is never agreement)
 * @param maxLocalHealth observers whose Lifeguard local health is above this are not counted on the
 *     fast path
 */
public record RemovalPolicy(
    long confirmMillis, long suspicionTimeoutMillis, int requiredObservers, int maxLocalHealth) {

  /**
   * Two healthy observers (local health at most 2) for 1 s, else 10 s. In the simulator
   * (docs/benchmarks.md, "Control plane: removal") this removes a crash 1.1 s after its first
   * suspicion (p99 5.6 s at 1,000 nodes and 5 % loss, against 9–12 s for gossip alone) and never a
   * healthy node; a shorter confirm is only 0.4 s faster but leaves a refutation less time, and a
   * third observer would add a probe round to every removal. 10 s is gossip-alone detection at
   * 1,000 nodes, for the two-member cluster that has no second observer.
   */
  public static final RemovalPolicy DEFAULT = new RemovalPolicy(1_000, 10_000, 2, 2);

  public RemovalPolicy {
    if (confirmMillis < 0) {
      throw new IllegalArgumentException("confirmMillis must be >= 0: " + confirmMillis);
    }
    if (suspicionTimeoutMillis < confirmMillis) {
      throw new IllegalArgumentException(
          "suspicionTimeoutMillis ("
              + suspicionTimeoutMillis
              + ") must be >= confirmMillis ("
              + confirmMillis
              + ")");
    }
    if (requiredObservers < 2) {
      throw new IllegalArgumentException(
          "requiredObservers must be >= 2 (one observer is no agreement): " + requiredObservers);
    }
    if (maxLocalHealth < 0) {
      throw new IllegalArgumentException("maxLocalHealth must be >= 0: " + maxLocalHealth);
    }
  }
}
