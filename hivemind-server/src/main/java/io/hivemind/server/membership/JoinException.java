package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * No seed answered a join in time. The node keeps retrying with back-off in the background (seeds
 * that do not resolve are looked up again, with the same back-off); this only tells the caller that
 * it has not reached the cluster yet, and what to check.
 */
public final class JoinException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<Address> seeds;
  private final transient Map<Address, String> unresolved;
  private final Duration timeout;

  JoinException(List<Address> seeds, Duration timeout, Map<Address, String> unresolved) {
    super(message(seeds, timeout, unresolved));
    this.seeds = List.copyOf(seeds);
    this.unresolved = Map.copyOf(unresolved);
    this.timeout = timeout;
  }

  private static String message(
      List<Address> seeds, Duration timeout, Map<Address, String> unresolved) {
    String cannotResolve =
        unresolved.isEmpty()
            ? ""
            : unresolved.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", ", " Cannot resolve ", "."));
    return "no seed answered within "
        + timeout.toMillis()
        + " ms (seeds "
        + seeds
        + "); still retrying in the background."
        + cannotResolve
        + " Check that the seeds are up and reachable"
        + " and share this node's cluster name, environment and gossip key";
  }

  /** The seeds that were tried, as given. */
  public List<Address> seeds() {
    return seeds;
  }

  /** The seeds whose host name did not resolve at the last attempt, each with the reason. */
  public Map<Address, String> unresolved() {
    return unresolved;
  }

  /** How long the caller waited. */
  public Duration timeout() {
    return timeout;
  }
}
