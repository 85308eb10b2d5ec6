package io.hivemind.core.membership;

import java.util.Objects;

/**
 * Where a node receives packets and streams: a host (name or literal IP) and a port. The core
 * treats it as an opaque value; the driver resolves it.
 */
public record Address(String host, int port) {

  public Address {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range 0..65535: " + port);
    }
  }

  /**
   * Parses {@code host:port}, {@code [v6]:port} or {@code v6-without-brackets:port}.
   *
   * @throws IllegalArgumentException naming the offending text
   */
  public static Address parse(String text) {
    Objects.requireNonNull(text, "address");
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("address must be host:port, got '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new Address(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address port is not a number in '" + text + "'", e);
    }
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
