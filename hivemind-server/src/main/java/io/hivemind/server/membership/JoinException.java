package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import java.time.Duration;
import java.util.List;

/**
 * No seed answered a join in time. The node keeps retrying with back-off in the background; this
 * only tells the caller that it has not reached the cluster yet, and what to check.
 */
public final class JoinException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<Address> seeds;
  private final Duration timeout;

  JoinException(List<Address> seeds, Duration timeout) {
    super(
        "no seed answered within "
            + timeout.toMillis()
            + " ms (seeds "
            + seeds
            + "); still retrying in the background. Check that the seeds are up and reachable"
            + " and share this node's cluster name, environment and gossip key");
    this.seeds = List.copyOf(seeds);
    this.timeout = timeout;
  }

  /** The seeds that were tried. */
  public List<Address> seeds() {
    return seeds;
  }

  /** How long the caller waited. */
  public Duration timeout() {
    return timeout;
  }
}
