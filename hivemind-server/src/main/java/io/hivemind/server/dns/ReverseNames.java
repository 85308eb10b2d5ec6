package io.hivemind.server.dns;

import java.net.InetAddress;
import java.util.Optional;

/** Reverse names (RFC 1035 3.5 {@code in-addr.arpa}, RFC 3596 2.5 {@code ip6.arpa}) both ways. */
final class ReverseNames {

  private static final String V4 = ".in-addr.arpa.";
  private static final String V6 = ".ip6.arpa.";

  private ReverseNames() {}

  /** The address {@code name} (lower case, absolute) is the reverse name of, else empty. */
  static Optional<InetAddress> parse(String name) {
    if (name.endsWith(V4)) {
      return ipv4(name.substring(0, name.length() - V4.length()));
    }
    if (name.endsWith(V6)) {
      return ipv6(name.substring(0, name.length() - V6.length()));
    }
    return Optional.empty();
  }

  private static Optional<InetAddress> ipv4(String labels) {
    String[] parts = labels.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    return IpLiterals.parse(parts[3] + "." + parts[2] + "." + parts[1] + "." + parts[0])
        .filter(address -> address.getAddress().length == 4);
  }

  private static Optional<InetAddress> ipv6(String labels) {
    String[] nibbles = labels.split("\\.", -1);
    if (nibbles.length != 32) {
      return Optional.empty();
    }
    StringBuilder hex = new StringBuilder(32);
    for (int i = 31; i >= 0; i--) {
      if (nibbles[i].length() != 1) {
        return Optional.empty();
      }
      hex.append(nibbles[i]);
    }
    return IpLiterals.fromHex(hex.toString());
  }
}
