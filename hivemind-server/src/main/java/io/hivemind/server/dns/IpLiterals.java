package io.hivemind.server.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * IP literals, parsed without ever asking a resolver: an instance's address may be a host name, and
 * the DNS interface must not block its event loop on a lookup to find out.
 */
final class IpLiterals {

  private IpLiterals() {}

  /** {@code text} as an address when it is an IPv4 or IPv6 literal, else empty. */
  static Optional<InetAddress> parse(String text) {
    if (text.isEmpty() || text.length() > 45) {
      return Optional.empty();
    }
    return text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
  }

  /** The address written as 8 (IPv4) or 32 (IPv6) hex digits, as in {@code 7f000001.addr}. */
  static Optional<InetAddress> fromHex(String hex) {
    if ((hex.length() != 8 && hex.length() != 32) || !isHex(hex)) {
      return Optional.empty();
    }
    return byAddress(HexFormat.of().parseHex(hex));
  }

  /** The 8 or 32 hex digits of {@code address}, for an SRV target. */
  static String toHex(InetAddress address) {
    return HexFormat.of().formatHex(address.getAddress());
  }

  static Optional<InetAddress> byAddress(byte[] bytes) {
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      return Optional.empty(); // not 4 or 16 bytes
    }
  }

  private static Optional<InetAddress> ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 3 || !isDecimal(part)) {
        return Optional.empty();
      }
      int value = Integer.parseInt(part);
      if (value > 255) {
        return Optional.empty();
      }
      bytes[i] = (byte) value;
    }
    return byAddress(bytes);
  }

  /**
   * Only hex digits, ':' and '.' reach {@link InetAddress#getByName}: it parses those as a literal
   * (its first character is a hex digit or ':') and never looks them up.
   */
  private static Optional<InetAddress> ipv6(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static boolean isDecimal(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
