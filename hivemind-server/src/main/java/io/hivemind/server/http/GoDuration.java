package io.hivemind.server.http;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Go's duration syntax ({@code time.ParseDuration}), which Consul's JSON and its clients use for a
 * check's {@code Interval}, {@code Timeout}, {@code TTL} and {@code
 * DeregisterCriticalServiceAfter}: a sequence of decimal numbers with units {@code ns}, {@code us}
 * ({@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}, such as {@code "3s"}, {@code "1.5h"},
 * {@code "1h30m"}; {@code "0"} alone needs no unit. Signs are refused: no check duration is
 * negative.
 */
final class GoDuration {

  /** Longer durations are refused: a typo, not a plan (Go's own limit is about 292 years). */
  static final Duration MAX = Duration.ofDays(365);

  private GoDuration() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the value when it is not a duration, or too long
   */
  static Duration parse(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < text.length()) {
      int numberEnd = scanNumber(text, at);
      int unitEnd = scanUnit(text, numberEnd);
      if (numberEnd == at || unitEnd == numberEnd) {
        throw invalid(text);
      }
      BigDecimal amount = number(text, at, numberEnd);
      nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unitNanos(text, numberEnd, unitEnd))));
      at = unitEnd;
    }
    if (at == 0) {
      throw invalid(text);
    }
    if (nanos.compareTo(BigDecimal.valueOf(MAX.toNanos())) > 0) {
      throw new IllegalArgumentException("'" + text + "' is longer than a year");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  private static BigDecimal number(String text, int from, int to) {
    try {
      return new BigDecimal(text.substring(from, to));
    } catch (NumberFormatException e) {
      throw invalid(text); // a lone "."
    }
  }

  /** Past the digits and one optional '.' with digits from {@code from}. */
  private static int scanNumber(String text, int from) {
    int at = from;
    boolean dot = false;
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '.' && !dot) {
        dot = true;
      } else if (c < '0' || c > '9') {
        break;
      }
      at++;
    }
    return at - from > 18 ? from : at; // over 18 characters is no duration anyone means
  }

  private static int scanUnit(String text, int from) {
    int at = from;
    while (at < text.length() && !Character.isDigit(text.charAt(at)) && text.charAt(at) != '.') {
      at++;
    }
    return at;
  }

  private static long unitNanos(String text, int from, int to) {
    return switch (text.substring(from, to)) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw invalid(text);
    };
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration: use Go's syntax, such as 10s, 1m30s or 250ms");
  }
}
