package io.hivemind.client;

import java.time.Duration;
import java.util.Objects;

/**
 * A TTL check of an instance registered through a {@link HivemindSession}: the client reports its
 * status ({@link HivemindSession#pass}, {@code warn}, {@code fail}) at least every {@code ttl}, or
 * the agent marks it critical.
 *
 * @param checkId unique on the agent
 * @param name a human name; "" for the agent's default
 * @param ttl how long a reported status stands (at least a millisecond, at most a day)
 * @param deregisterAfter remove the instance once the check has been critical this long; zero never
 */
public record TtlCheck(String checkId, String name, Duration ttl, Duration deregisterAfter) {

  public TtlCheck {
    Objects.requireNonNull(checkId, "checkId");
    Objects.requireNonNull(name, "name");
    if (ttl.toMillis() < 1 || ttl.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("ttl must be between 1 ms and a day, got " + ttl);
    }
    if (deregisterAfter.isNegative() || deregisterAfter.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "deregisterAfter must be between zero and a day, got " + deregisterAfter);
    }
  }

  /** A check that must be reported every {@code ttl}, never deregistering its instance. */
  public static TtlCheck of(String checkId, Duration ttl) {
    return new TtlCheck(checkId, "", ttl, Duration.ZERO);
  }
}
