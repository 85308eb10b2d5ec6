package io.hivemind.server.http;

import io.hivemind.core.membership.Address;
import java.util.regex.Pattern;

/**
 * Parses the address of {@code PUT /v1/agent/join/{address}}: {@code host}, {@code host:port},
 * {@code [v6]}, {@code [v6]:port} or a bare IPv6 literal. A missing port means the environment's
 * well-known gossip port. The text comes from the network, so it is bounded and checked character
 * by character before anything resolves it.
 */
final class JoinAddress {

  /** A DNS name is at most 253 characters (RFC 1035 §2.3.4); an IPv6 literal with zone fits. */
  static final int MAX_LENGTH = 260;

  /** Host names and IPv4 literals (RFC 1123 §2.1 letters, digits, hyphens, dots; we allow _). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9._-]*)");

  /** IPv6 literals (RFC 4291 §2.2), with an optional zone such as {@code %eth0}. */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.-]+)?");

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");

  private JoinAddress() {}

  /**
   * @throws IllegalArgumentException with a sentence naming {@code text} and what is wrong
   */
  static Address parse(String text, int defaultPort) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the join address is empty: give host or host:port");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "the join address is " + text.length() + " characters; at most " + MAX_LENGTH + " fit");
    }
    if (text.startsWith("[")) {
      return bracketed(text, defaultPort);
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      return new Address(name(text, text), defaultPort);
    }
    if (text.indexOf(':', colon + 1) >= 0) {
      return new Address(ipv6(text, text), defaultPort); // a bare IPv6 literal has no port
    }
    return new Address(name(text.substring(0, colon), text), port(text.substring(colon + 1), text));
  }

  private static Address bracketed(String text, int defaultPort) {
    int close = text.indexOf(']');
    if (close < 0) {
      throw invalid(text, "'[' is not closed by ']'");
    }
    String host = ipv6(text.substring(1, close), text);
    String rest = text.substring(close + 1);
    if (rest.isEmpty()) {
      return new Address(host, defaultPort);
    }
    if (!rest.startsWith(":")) {
      throw invalid(text, "only ':port' may follow ']'");
    }
    return new Address(host, port(rest.substring(1), text));
  }

  private static String name(String host, String text) {
    if (!NAME.matcher(host).matches()) {
      throw invalid(text, "the host must be a name or an IP address");
    }
    return host;
  }

  private static String ipv6(String host, String text) {
    if (!IPV6.matcher(host).matches()) {
      throw invalid(text, "the host is not an IPv6 address");
    }
    return host;
  }

  private static int port(String port, String text) {
    int value = DIGITS.matcher(port).matches() ? Integer.parseInt(port) : 0;
    if (value < 1 || value > 65_535) {
      throw invalid(text, "the port must be a number in 1..65535");
    }
    return value;
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("'" + text + "' is not a join address: " + why);
  }
}
