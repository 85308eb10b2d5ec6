package io.hivemind.fuzz;

/**
 * One thing under fuzz: it makes its inputs from {@link Choices}, feeds them through a stable entry
 * point, and checks its properties after each. The short runs ({@link PropertyCheck}, in this
 * module's tests) and the long run ({@code FuzzFigures} in hivemind-bench) drive the same targets.
 *
 * <p>A target is deterministic: everything it does depends on the choices alone (no clock, no other
 * randomness), so a failing input replays from its draws and shrinks.
 */
public interface FuzzTarget {

  /** A short name for reports: {@code gossip}, {@code stream}, {@code http}, {@code config}. */
  String name();

  /**
   * Makes one trial's inputs from {@code choices}, feeds them, checks the properties, and counts
   * each input under its outcome ("accepted", or the reason it was rejected).
   *
   * @throws FuzzFailure when a property breaks, carrying the input that broke it
   */
  void run(Choices choices, Outcomes outcomes);
}
