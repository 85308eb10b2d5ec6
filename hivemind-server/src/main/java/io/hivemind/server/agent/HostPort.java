package io.hivemind.server.agent;

import io.hivemind.core.membership.Address;

/** Parses {@code host}, {@code host:port} and {@code [ipv6]:port} as written in configuration. */
public final class HostPort {

  private HostPort() {}

  /**
   * The address {@code text} names, with {@code defaultPort} when it names none.
   *
   * @param what what the address is for, to name it in the error
   * @throws ConfigException naming {@code what} and the text when it is not an address
   */
  public static Address parse(String text, int defaultPort, String what) {
    if (text == null || text.isBlank()) {
      throw new ConfigException(what + " is empty: expected host or host:port");
    }
    String value = text.trim();
    String host;
    String port = null;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw new ConfigException(what + " '" + text + "': missing ']' after the IPv6 address");
      }
      host = value.substring(1, close);
      String rest = value.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new ConfigException(what + " '" + text + "': expected ':port' after ']'");
        }
        port = rest.substring(1);
      }
    } else {
      int colon = value.lastIndexOf(':');
      if (colon >= 0 && value.indexOf(':') != colon) {
        host = value; // a bare IPv6 address: its colons are not a port separator
      } else if (colon >= 0) {
        host = value.substring(0, colon);
        port = value.substring(colon + 1);
      } else {
        host = value;
      }
    }
    if (host.isEmpty()) {
      throw new ConfigException(what + " '" + text + "' has no host");
    }
    return new Address(host, port == null ? defaultPort : port(port, text, what));
  }

  private static int port(String port, String text, String what) {
    try {
      int value = Integer.parseInt(port);
      if (value >= 0 && value <= 65_535) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(
        what + " '" + text + "': port must be a number from 0 to 65535, got '" + port + "'");
  }
}
