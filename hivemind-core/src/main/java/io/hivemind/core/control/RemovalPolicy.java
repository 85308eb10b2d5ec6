package io.hivemind.core.control;

/**
 * The removal rule's parameters. Every replica must use the same policy (it is part of the state
 * machine's behaviour), so agents use {@link #DEFAULT}; the simulator may try others.
 *
 * @param confirmMillis how long a suspicion shared by enough independent observers must stand
 *     before the member is removed (time for a refutation to arrive)
 * @param suspicionTimeoutMillis how long a suspicion that too few observers share may stand before
 *     the member is removed anyway (only where the cluster has no other observer)
 * @param requiredObservers independent observers needed for the fast path, where the cluster has
 *     that many other members
 * @param maxLocalHealth observers whose Lifeguard local health is above this are not counted
 */
public record RemovalPolicy(
    long confirmMillis, long suspicionTimeoutMillis, int requiredObservers, int maxLocalHealth) {

  /** Defaults: a placeholder until the removal rule is implemented and measured. */
  public static final RemovalPolicy DEFAULT = new RemovalPolicy(1_000, 10_000, 2, 2);
}
