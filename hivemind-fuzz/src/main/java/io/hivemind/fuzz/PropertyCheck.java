package io.hivemind.fuzz;

import java.util.Arrays;

/**
 * The short run: a fixed number of seeded trials of a {@link FuzzTarget}, and when one breaks a
 * property, a shrunk replay of it. Property-based testing in the QuickCheck and Hypothesis manner,
 * in a page: inputs are functions of their {@link Choices}, so shrinking works on the draws (remove
 * runs of draws, lower single draws towards 0, the simplest choice) and never needs to know what an
 * input means.
 *
 * <p>A run is a pure function of its seed: the same seed tries the same inputs in the same order,
 * on any machine, and the report of a failure names the seed, the trial and the shrunk draws.
 */
public final class PropertyCheck {

  /** Replays a shrink may spend; each is one trial, microseconds to a millisecond. */
  static final int SHRINK_BUDGET = 2_000;

  private PropertyCheck() {}

  /**
   * Runs {@code tries} trials of {@code target}, trial {@code i} from {@link Choices#seeded(long,
   * long) Choices.seeded(seed, i)}.
   *
   * @return what the inputs came to, for checks that the generators reach every outcome
   * @throws AssertionError at the first broken property: the seed, the trial, the failure and its
   *     shrunk replay, each with its input in hex
   */
  public static Outcomes run(FuzzTarget target, long seed, int tries) {
    Outcomes outcomes = new Outcomes();
    for (int i = 0; i < tries; i++) {
      Choices choices = Choices.seeded(seed, i);
      Throwable failure = attempt(target, choices, outcomes);
      if (failure != null) {
        throw report(target, seed, i, choices.draws(), failure);
      }
    }
    return outcomes;
  }

  /**
   * Runs the one trial these draws make, as a failure report gives them.
   *
   * @throws FuzzFailure if it still breaks a property
   */
  public static Outcomes replay(FuzzTarget target, int... draws) {
    Outcomes outcomes = new Outcomes();
    target.run(Choices.replay(draws), outcomes);
    return outcomes;
  }

  /** The failure of one trial, or null. Anything thrown is a failure: a property, or a crash. */
  static Throwable attempt(FuzzTarget target, Choices choices, Outcomes outcomes) {
    try {
      target.run(choices, outcomes);
      return null;
    } catch (RuntimeException | Error e) {
      return e;
    }
  }

  /** Fewer and smaller draws that still fail in the same way; the draws themselves if none do. */
  static int[] shrink(FuzzTarget target, int[] draws, String signature) {
    int[] best = trimZeros(draws);
    int[] budget = {SHRINK_BUDGET};
    boolean progress = true;
    while (progress && budget[0] > 0) {
      int[] cut = cutRuns(target, best, signature, budget);
      int[] lowered = lowerDraws(target, cut, signature, budget);
      progress = lowered.length < best.length || !Arrays.equals(lowered, best);
      best = lowered;
    }
    return best;
  }

  private static int[] cutRuns(FuzzTarget target, int[] draws, String signature, int[] budget) {
    int[] best = draws;
    for (int size = Math.max(1, best.length / 2); size >= 1 && budget[0] > 0; size /= 2) {
      for (int at = 0; at + size <= best.length && budget[0] > 0; ) {
        int[] candidate = new int[best.length - size];
        System.arraycopy(best, 0, candidate, 0, at);
        System.arraycopy(best, at + size, candidate, at, best.length - at - size);
        budget[0]--;
        if (failsAlike(target, candidate, signature)) {
          best = candidate;
        } else {
          at += size;
        }
      }
    }
    return best;
  }

  /** Each draw lowered to the smallest value that still fails: 0 if it can, else by bisection. */
  private static int[] lowerDraws(FuzzTarget target, int[] draws, String signature, int[] budget) {
    int[] best = draws;
    for (int i = 0; i < best.length && budget[0] > 0; i++) {
      int low = 0;
      int high = best[i]; // fails
      while (low < high && budget[0] > 0) {
        int value = low == 0 && high == best[i] ? 0 : low + (high - low) / 2;
        int[] candidate = best.clone();
        candidate[i] = value;
        budget[0]--;
        if (failsAlike(target, candidate, signature)) {
          high = value;
        } else {
          low = value + 1;
        }
      }
      if (high < best[i]) {
        best = best.clone();
        best[i] = high;
      }
    }
    return trimZeros(best);
  }

  private static boolean failsAlike(FuzzTarget target, int[] draws, String signature) {
    Throwable failure = attempt(target, Choices.replay(draws), new Outcomes());
    return failure != null && signature(failure).equals(signature);
  }

  /** Trailing zeros replay as the exhausted sequence does: drop them. */
  private static int[] trimZeros(int[] draws) {
    int length = draws.length;
    while (length > 0 && draws[length - 1] == 0) {
      length--;
    }
    return Arrays.copyOf(draws, length);
  }

  /** Failures are alike when they break the same property (or crash with the same exception). */
  static String signature(Throwable failure) {
    return failure instanceof FuzzFailure broken ? broken.property() : failure.getClass().getName();
  }

  private static AssertionError report(
      FuzzTarget target, long seed, int trial, int[] draws, Throwable failure) {
    String signature = signature(failure);
    int[] shrunk = shrink(target, draws, signature);
    Throwable shrunkFailure = attempt(target, Choices.replay(shrunk), new Outcomes());
    String replay = Arrays.toString(shrunk).replace("[", "").replace("]", "");
    String text =
        "fuzz target '"
            + target.name()
            + "' broke a property at trial "
            + trial
            + " of seed "
            + seed
            + ":\n"
            + failure
            + "\n\nshrunk to the draws ("
            + replay
            + "):\n"
            + shrunkFailure
            + "\n\nreplay it with PropertyCheck.replay(target, "
            + replay
            + ")";
    AssertionError error =
        new AssertionError(text, shrunkFailure == null ? failure : shrunkFailure);
    return error;
  }
}
