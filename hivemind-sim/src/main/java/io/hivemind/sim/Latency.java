package io.hivemind.sim;

import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One-way delay of a link, drawn uniformly from {@code minMillis..maxMillis} for every packet or
 * stream segment. Whole milliseconds and at least 1 ms, so that a reply never arrives at the
 * instant its request left.
 */
public record Latency(long minMillis, long maxMillis) {

  private static final Pattern RANGE = Pattern.compile("(\\d+)(ms|s)?-(\\d+)(ms|s)");
  private static final Pattern JITTER =
      Pattern.compile("(\\d+)(ms|s)?(?:±|\\+-|\\+/-)(\\d+)(ms|s)");
  private static final Pattern FIXED = Pattern.compile("(\\d+)(ms|s)");

  public Latency {
    if (minMillis < 1 || maxMillis < minMillis) {
      throw new IllegalArgumentException(
          "latency must satisfy 1 ms <= min <= max, got " + minMillis + "-" + maxMillis + " ms");
    }
  }

  /** Always {@code millis}. */
  public static Latency fixed(long millis) {
    return new Latency(millis, millis);
  }

  /** Uniform between the two bounds, inclusive. */
  public static Latency between(long minMillis, long maxMillis) {
    return new Latency(minMillis, maxMillis);
  }

  /** Uniform in {@code mean ± jitter}, floored at 1 ms. */
  public static Latency around(long meanMillis, long jitterMillis) {
    return new Latency(Math.max(1, meanMillis - jitterMillis), meanMillis + jitterMillis);
  }

  /**
   * Parses {@code 2ms} (fixed), {@code 1-5ms} (uniform range) or {@code 20±5ms} / {@code 20+-5ms}
   * (mean and jitter). A unit (ms or s) is required at the end; the first number takes it too
   * unless it has its own.
   *
   * @throws IllegalArgumentException with a sentence naming the text and the accepted forms
   */
  public static Latency parse(String text) {
    String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    try {
      Matcher m;
      if ((m = RANGE.matcher(trimmed)).matches()) {
        return between(millis(m.group(1), unit(m, 2, 4)), millis(m.group(3), m.group(4)));
      }
      if ((m = JITTER.matcher(trimmed)).matches()) {
        return around(millis(m.group(1), unit(m, 2, 4)), millis(m.group(3), m.group(4)));
      }
      if ((m = FIXED.matcher(trimmed)).matches()) {
        return fixed(millis(m.group(1), m.group(2)));
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a usable latency: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is not a latency: use 2ms (fixed), 1-5ms (range) or 20+-5ms (mean and jitter)");
  }

  private static String unit(Matcher m, int own, int shared) {
    return m.group(own) != null ? m.group(own) : m.group(shared);
  }

  private static long millis(String number, String unit) {
    long value = Long.parseLong(number);
    return "s".equals(unit) ? Math.multiplyExact(value, 1_000L) : value;
  }

  /** Draws one delay. */
  public long sample(RandomGenerator random) {
    return minMillis == maxMillis ? minMillis : random.nextLong(minMillis, maxMillis + 1);
  }

  /** The text {@link #parse} reads back: {@code 2ms} or {@code 1-5ms}. */
  @Override
  public String toString() {
    return minMillis == maxMillis ? minMillis + "ms" : minMillis + "-" + maxMillis + "ms";
  }
}
