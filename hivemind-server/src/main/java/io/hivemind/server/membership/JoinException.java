package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A join did not reach the cluster, and what became of each seed: refused, timed out, closed
 * without an answer, unresolvable, or this node itself.
 *
 * <p>A join of the configured seeds ({@link MembershipService#join}) keeps retrying with back-off
 * after this ({@link #retrying()}); a join asked for once ({@link MembershipService#joinOnce}) has
 * stopped.
 */
public final class JoinException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why one seed did not let this node join. */
  public enum Reason {
    /** The seed is this node itself (its own address, or another address that reaches it). */
    SELF,
    /** Nothing listens at the seed's address: the connection was refused at once. */
    REFUSED,
    /** The network has no way to the seed. */
    UNREACHABLE,
    /**
     * The seed accepted the connection and closed it without an answer: it refuses this node (the
     * core of a seed in another environment or cluster drops the request, as does a seed with
     * another gossip key or one that is leaving).
     */
    CLOSED,
    /** No answer in time: the seed is down, hangs, or the network drops what we send. */
    TIMED_OUT,
    /** The seed's host name does not resolve. */
    UNRESOLVED
  }

  /**
   * What became of one seed.
   *
   * @param seed the address tried (as resolved), or the seed as given when it did not resolve
   * @param detail what the reason's sentence needs: the node's name (SELF), the socket's words
   *     (UNREACHABLE, UNRESOLVED), how long was waited (TIMED_OUT), or nothing
   */
  public record SeedFailure(Address seed, Reason reason, String detail) {

    /** The failure in words, without the seed's address. */
    public String sentence() {
      return switch (reason) {
        case SELF -> "that is this agent (node " + detail + ") itself: join through another member";
        case REFUSED ->
            "connection refused: nothing listens there (is the agent running, and is the port"
                + " its environment's gossip port?)";
        case UNREACHABLE -> "unreachable (" + detail + ")";
        case CLOSED ->
            "the seed closed the connection without answering: it refuses this agent, as a seed"
                + " does that runs in another environment or cluster, with another gossip key, or"
                + " is leaving";
        case TIMED_OUT ->
            "timed out: no answer within "
                + detail
                + " (check that the seed is up and reachable, and runs in the same environment and"
                + " cluster and with the same gossip key)";
        case UNRESOLVED -> "cannot resolve the host name (" + detail + ")";
      };
    }
  }

  private final transient List<Address> seeds;
  private final transient List<SeedFailure> failures;
  private final Duration timeout;
  private final boolean retrying;

  JoinException(
      List<Address> seeds,
      List<SeedFailure> failures,
      Duration timeout,
      boolean retrying,
      Duration retryMax) {
    super(message(failures, timeout, retrying, retryMax));
    this.seeds = List.copyOf(seeds);
    this.failures = List.copyOf(failures);
    this.timeout = timeout;
    this.retrying = retrying;
  }

  private static String message(
      List<SeedFailure> failures, Duration timeout, boolean retrying, Duration retryMax) {
    String what =
        failures.size() == 1
            ? failures.get(0).sentence()
            : failures.stream()
                .map(f -> f.seed() + ": " + f.sentence())
                .collect(Collectors.joining("; "));
    if (!retrying) {
      return failures.size() == 1 ? what : "no seed let this agent join: " + what;
    }
    return "no seed answered within "
        + text(timeout)
        + ": "
        + what
        + ". Still retrying in the background, with back-off up to "
        + text(retryMax);
  }

  /** "500 ms", "10 s", "5 min": how durations read in a sentence. */
  static String text(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 60_000 == 0) {
      return millis / 60_000 + " min";
    }
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /** The seeds that were tried, as given. */
  public List<Address> seeds() {
    return seeds;
  }

  /** What became of each seed (by resolved address), in the order they failed. */
  public List<SeedFailure> failures() {
    return failures;
  }

  /** The seeds whose host name did not resolve, each with the reason. */
  public Map<Address, String> unresolved() {
    Map<Address, String> unresolved = new LinkedHashMap<>();
    failures.stream()
        .filter(f -> f.reason() == Reason.UNRESOLVED)
        .forEach(f -> unresolved.put(f.seed(), f.detail()));
    return unresolved;
  }

  /** True when every seed was this node itself: the request, not the network, was wrong. */
  public boolean onlySelf() {
    return !failures.isEmpty() && failures.stream().allMatch(f -> f.reason() == Reason.SELF);
  }

  /** How long the caller waited. */
  public Duration timeout() {
    return timeout;
  }

  /** True when the node keeps retrying in the background (a join of the configured seeds). */
  public boolean retrying() {
    return retrying;
  }
}
