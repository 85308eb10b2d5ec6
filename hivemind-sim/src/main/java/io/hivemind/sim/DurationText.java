package io.hivemind.sim;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them: a whole number with a unit ({@code 500ms}, {@code 90s}, {@code
 * 10m}, {@code 1h}), or several in a row ({@code 1m30s}).
 */
public final class DurationText {

  private static final Pattern PART = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

  private DurationText() {}

  /**
   * Parses a duration into milliseconds.
   *
   * @throws IllegalArgumentException with a sentence naming the text and the accepted forms
   */
  public static long parseMillis(String text) {
    String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher part = PART.matcher(trimmed);
    long total = 0;
    int end = 0;
    try {
      while (part.find() && part.start() == end) {
        total = Math.addExact(total, Math.multiplyExact(Long.parseLong(part.group(1)), unit(part)));
        end = part.end();
      }
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
    }
    if (end == 0 || end != trimmed.length()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: use a number with a unit, like 500ms, 90s, 10m or 1h");
    }
    return total;
  }

  private static long unit(Matcher part) {
    return switch (part.group(2)) {
      case "ms" -> 1;
      case "s" -> 1_000;
      case "m" -> 60_000;
      default -> 3_600_000;
    };
  }

  /** Milliseconds as the shortest text {@link #parseMillis} reads back: 90000 → {@code 1m30s}. */
  public static String format(long millis) {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    long rest = millis;
    rest = appendPart(text, rest, 3_600_000, "h");
    rest = appendPart(text, rest, 60_000, "m");
    rest = appendPart(text, rest, 1_000, "s");
    appendPart(text, rest, 1, "ms");
    return text.toString();
  }

  private static long appendPart(StringBuilder text, long millis, long unitMillis, String unit) {
    if (millis >= unitMillis) {
      text.append(millis / unitMillis).append(unit);
    }
    return millis % unitMillis;
  }
}
