package io.hivemind.server.agent;

import io.hivemind.core.membership.Address;
import java.util.Set;

/**
 * Parses {@code host}, {@code host:port} and {@code [ipv6]:port} as written in configuration. A
 * host is a name or IPv4 address (ASCII letters, digits, '-', '_' and '.', at most 253 bytes, as
 * DNS allows) or an IPv6 address (hex digits, ':' and '.', with an optional {@code %zone}).
 */
public final class HostPort {

  /** Longest host name DNS allows (RFC 1035 §2.3.4, written as text). */
  static final int MAX_HOST_BYTES = 253;

  private static final String ACCEPTED = "use host, host:port or [IPv6]:port";

  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "0:0:0:0:0:0:0:0");

  private HostPort() {}

  /**
   * The address {@code text} names, with {@code defaultPort} when it names none; port 0 (any free
   * port) is allowed.
   *
   * @param what the setting, as the user wrote it, to name it in the sentence
   * @throws ConfigException naming {@code what} and the text when it is not an address
   */
  public static Address parse(String text, int defaultPort, String what) {
    return parse(text, defaultPort, 0, what);
  }

  /**
   * The address {@code text} names, with {@code defaultPort} when it names none.
   *
   * @param minPort the lowest port accepted: 0 where it means "any free port" (binding), 1 where a
   *     port must be reached (seeds)
   * @param what the setting, as the user wrote it, to name it in the sentence
   * @throws ConfigException naming {@code what} and the text when it is not an address
   */
  public static Address parse(String text, int defaultPort, int minPort, String what) {
    if (text == null || text.isBlank()) {
      throw notAnAddress(what, text, "it is empty");
    }
    String value = text.trim();
    String host;
    String port = null;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw notAnAddress(what, text, "'[' has no matching ']'");
      }
      host = value.substring(1, close);
      String rest = value.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw notAnAddress(what, text, "expected ':port' after ']'");
        }
        port = rest.substring(1);
      }
      requireIpv6(host, text, what);
    } else {
      int colon = value.lastIndexOf(':');
      if (colon >= 0 && value.indexOf(':') != colon) {
        host = value; // a bare IPv6 address: its colons are not a port separator
        requireIpv6(host, text, what);
      } else {
        host = colon >= 0 ? value.substring(0, colon) : value;
        port = colon >= 0 ? value.substring(colon + 1) : null;
        requireName(host, text, what);
      }
    }
    return new Address(host, port == null ? defaultPort : port(port, minPort, text, what));
  }

  /** True for the addresses that mean "every interface". */
  static boolean isWildcard(String host) {
    return WILDCARDS.contains(host);
  }

  private static void requireName(String host, String text, String what) {
    if (host.isEmpty()) {
      throw notAnAddress(what, text, "it has no host");
    }
    if (host.length() > MAX_HOST_BYTES) {
      throw notAnAddress(what, text, "the host is " + SettingRules.utf8(host) + " bytes");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.';
      if (!ok) {
        throw notAnAddress(
            what,
            text,
            SettingRules.describe(host.codePointAt(i))
                + " at position "
                + (i + 1)
                + " cannot be part of a host");
      }
    }
  }

  private static void requireIpv6(String host, String text, String what) {
    int percent = host.indexOf('%');
    String address = percent < 0 ? host : host.substring(0, percent);
    boolean ok = !address.isEmpty() && address.indexOf(':') >= 0;
    for (int i = 0; ok && i < address.length(); i++) {
      char c = address.charAt(i);
      ok = Character.digit(c, 16) >= 0 || c == ':' || c == '.';
    }
    String zone = percent < 0 ? "x" : host.substring(percent + 1);
    ok =
        ok
            && !zone.isEmpty()
            && zone.chars()
                .allMatch(
                    c ->
                        c < 128
                            && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.'));
    if (!ok) {
      // Quoted as every value is: a value may hold a newline (the fuzz suite found one here).
      throw notAnAddress(what, text, SettingRules.quote(host) + " is not an IPv6 address");
    }
  }

  private static int port(String port, int minPort, String text, String what) {
    try {
      int value = Integer.parseInt(port);
      if (value >= minPort && value <= 65_535) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw notAnAddress(
        what,
        text,
        "port " + SettingRules.quote(port) + " is not a number from " + minPort + " to 65535");
  }

  private static ConfigException notAnAddress(String what, String text, String why) {
    return new ConfigException(
        what + " " + SettingRules.quote(text) + " is not an address: " + why + "; " + ACCEPTED);
  }
}
