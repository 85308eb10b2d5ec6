package io.hivemind.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Every decision a generator makes, drawn from one sequence of non-negative ints: a seeded random
 * source for a fresh input, or a recorded sequence to replay one. A generator never draws anything
 * else (no other random source, no clock), so an input is a pure function of its draws.
 *
 * <p>That is what makes shrinking generic ({@link PropertyCheck}): a failing input is replayed from
 * fewer and smaller draws until it stops failing. For that to simplify the input, generators follow
 * one convention: <b>a draw of 0 is the simplest choice</b> (the first corpus entry, no mutation,
 * stop adding things, the shortest length), and a replay that runs out of draws reads 0s, so every
 * generator ends on an exhausted sequence.
 *
 * <p>Not thread-safe; one per input.
 */
public final class Choices {

  private final SplittableRandom random;
  private int[] draws;
  private int size;
  private int next;

  private Choices(SplittableRandom random, int[] draws, int size) {
    this.random = random;
    this.draws = draws;
    this.size = size;
  }

  /** Fresh draws from {@code seed}; they are recorded, so the input can be shrunk or replayed. */
  public static Choices seeded(long seed) {
    return new Choices(new SplittableRandom(seed), new int[64], 0);
  }

  /** The draws of input number {@code index} of a run seeded with {@code seed}. */
  public static Choices seeded(long seed, long index) {
    return seeded(mix64(seed ^ mix64(index + 0x9E3779B97F4A7C15L)));
  }

  /** Replays {@code draws}, then 0s. */
  public static Choices replay(int... draws) {
    for (int draw : draws) {
      if (draw < 0) {
        throw new IllegalArgumentException("draws are never negative, got " + draw);
      }
    }
    return new Choices(null, draws.clone(), draws.length);
  }

  /** Replays {@code draws}, then 0s. */
  public static Choices replay(List<Integer> draws) {
    return replay(draws.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The next raw draw, 0 to {@link Integer#MAX_VALUE}. */
  public int draw() {
    if (random == null) {
      return next < size ? draws[next++] : 0;
    }
    int draw = random.nextInt() >>> 1;
    if (size == draws.length) {
      draws = Arrays.copyOf(draws, size * 2);
    }
    draws[size++] = draw;
    return draw;
  }

  /** A choice in {@code [0, bound)}; 0 is the simplest. */
  public int below(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    return draw() % bound;
  }

  /** A value in {@code [min, max]}; {@code min} is the simplest. */
  public int between(int min, int max) {
    return min + below(max - min + 1);
  }

  /** True about once in {@code n} draws; false on a draw of 0, so shrinking turns it off. */
  public boolean oneIn(int n) {
    return below(n) == n - 1;
  }

  /** One of {@code options}; the first is the simplest. */
  public <T> T pick(List<T> options) {
    return options.get(below(options.size()));
  }

  /** One of {@code options}; the first is the simplest. */
  @SafeVarargs
  public final <T> T pick(T... options) {
    return options[below(options.length)];
  }

  /**
   * {@code length} bytes from one draw: shrinking the draw to 0 makes them the same fixed bytes,
   * and the shrinker never has to work through one draw per byte.
   */
  public byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    new SplittableRandom(draw()).nextBytes(bytes);
    return bytes;
  }

  /** The draws made so far (a seeded source) or given (a replay). */
  public int[] draws() {
    return Arrays.copyOf(draws, size);
  }

  @Override
  public String toString() {
    return "Choices.replay(" + Arrays.toString(draws()).replace("[", "").replace("]", "") + ")";
  }

  /** Stafford's mix 13 (the finaliser of SplittableRandom): spreads consecutive seeds apart. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
