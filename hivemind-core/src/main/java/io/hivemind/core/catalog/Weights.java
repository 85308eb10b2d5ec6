package io.hivemind.core.catalog;

/**
 * How much traffic an instance should get relative to its peers, by its health (Consul's {@code
 * Weights}): DNS answers and client lookups pick instances in proportion to these.
 *
 * @param passing the weight while the instance passes, at least 1
 * @param warning the weight while it warns, 0 or more
 */
public record Weights(int passing, int warning) {

  /** Consul's default: every instance equal, warning ones included. */
  public static final Weights DEFAULT = new Weights(1, 1);

  /** The largest weight accepted: SRV's weight field is 16 bits (RFC 2782). */
  public static final int MAX_WEIGHT = 65_535;

  public Weights {
    if (passing < 1 || passing > MAX_WEIGHT) {
      throw new IllegalArgumentException(
          "passing weight must be 1.." + MAX_WEIGHT + ": " + passing);
    }
    if (warning < 0 || warning > MAX_WEIGHT) {
      throw new IllegalArgumentException(
          "warning weight must be 0.." + MAX_WEIGHT + ": " + warning);
    }
  }

  /** The weight at {@code status}; a critical instance gets none. */
  public int at(HealthStatus status) {
    return switch (status) {
      case PASSING -> passing;
      case WARNING -> warning;
      case CRITICAL -> 0;
    };
  }
}
