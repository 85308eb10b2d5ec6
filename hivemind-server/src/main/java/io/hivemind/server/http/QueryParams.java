package io.hivemind.server.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed query parameters of the control plane's endpoints, checked at the boundary: a bad value is
 * a 400 naming the parameter and the value, never a fault.
 */
final class QueryParams {

  /** Go's duration syntax, as Consul's {@code wait} takes it: {@code 30s}, {@code 1m30s}. */
  private static final Pattern DURATION_PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private QueryParams() {}

  /** Whether {@code name} is present, with or without a value, as Consul reads {@code ?recurse}. */
  static boolean flag(ApiRequest request, String name) {
    return request.queryParam(name) != null;
  }

  /**
   * A non-negative number, or {@code absent} when the parameter is missing.
   *
   * @throws ApiException 400 {@code bad_<name>} when it is not one
   */
  static long nonNegative(ApiRequest request, String name, long absent) {
    String text = request.queryParam(name);
    if (text == null) {
      return absent;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest(
        "bad_" + name, "'" + text + "' is not a valid " + name + ": use a number 0 or above");
  }

  /**
   * An unsigned 64-bit number (Consul's KV {@code flags}), 0 when missing.
   *
   * @throws ApiException 400 {@code bad_<name>} when it is not one
   */
  static long unsigned(ApiRequest request, String name) {
    String text = request.queryParam(name);
    if (text == null) {
      return 0;
    }
    try {
      return Long.parseUnsignedLong(text.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "bad_" + name,
          "'" + text + "' is not a valid " + name + ": use a number from 0 to 2^64-1");
    }
  }

  /**
   * A duration in Go's syntax ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1m30s}; {@code 0}),
   * {@code absent} when the parameter is missing, at most {@code max} (longer ones are cut to it,
   * as Consul does with {@code wait}).
   *
   * @throws ApiException 400 {@code bad_<name>} when it is not a duration
   */
  static Duration duration(ApiRequest request, String name, Duration absent, Duration max) {
    String text = request.queryParam(name);
    if (text == null) {
      return absent;
    }
    Duration value = parseDuration(text.trim());
    if (value == null) {
      throw ApiException.badRequest(
          "bad_" + name,
          "'" + text + "' is not a valid " + name + ": use a duration such as 30s, 5m or 250ms");
    }
    return value.compareTo(max) > 0 ? max : value;
  }

  /** The duration {@code text} says, or null when it is not one. */
  static Duration parseDuration(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher part = DURATION_PART.matcher(text);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < text.length() && part.find(at) && part.start() == at) {
      long amount = Long.parseLong(part.group(1));
      total = total.plus(unit(part.group(2), amount));
      at = part.end();
    }
    return at == text.length() && at > 0 ? total : null;
  }

  private static Duration unit(String unit, long amount) {
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /**
   * A parameter that must be present and not blank.
   *
   * @throws ApiException 400 {@code <name>_required} naming the endpoint's use
   */
  static String required(ApiRequest request, String name, String usage) {
    String value = request.queryParam(name);
    if (value == null || value.isBlank()) {
      throw ApiException.badRequest(name + "_required", "add ?" + name + "=...: " + usage);
    }
    return value;
  }

  /**
   * A boolean that must be present: Go's {@code strconv.ParseBool} spellings, as Consul reads them
   * ({@code true}, {@code 1}, {@code t}; {@code false}, {@code 0}, {@code f}; any case).
   *
   * @throws ApiException 400 {@code <name>_required} when missing, {@code bad_<name>} otherwise
   */
  static boolean requiredBoolean(ApiRequest request, String name, String usage) {
    String value = required(request, name, usage);
    return goBoolean(value)
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    "bad_" + name,
                    "'" + value + "' is not a valid " + name + ": use true or false"));
  }

  /** Go's {@code strconv.ParseBool} in any case; empty when {@code text} is not a boolean. */
  static Optional<Boolean> goBoolean(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "1", "t", "true" -> Optional.of(true);
      case "0", "f", "false" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  /**
   * Refuses parameters of Consul's API that Hivemind does not implement, so that a client relying
   * on them learns it instead of getting a silently different answer.
   *
   * @throws ApiException 400 {@code not_supported} naming the first one present
   */
  static void refuse(ApiRequest request, String why, String... names) {
    for (String name : names) {
      if (request.queryParam(name) != null) {
        throw ApiException.badRequest("not_supported", "?" + name + " is not supported: " + why);
      }
    }
  }
}
