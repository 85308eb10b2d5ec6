package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the address a node announces: the configured one, else the bind host, else (bound to
 * every interface) this host's first private IPv4 address, as memberlist's {@code GetPrivateIP}
 * does. Runs once, at start, on the caller's thread.
 */
final class AdvertiseAddress {

  private static final Logger log = LoggerFactory.getLogger(AdvertiseAddress.class);
  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0");

  private AdvertiseAddress() {}

  static Address choose(MembershipServiceConfig config, int boundPort) {
    String host = config.advertiseHost().orElseGet(() -> hostFor(config.bindHost()));
    int port = config.advertisePort() != 0 ? config.advertisePort() : boundPort;
    return new Address(ipLiteral(host), port);
  }

  /**
   * {@code host} as an IP literal: gossip carries literals only (peers drop a record whose host is
   * a name, so that no node ever resolves a name on its gossip loop). A name is resolved here,
   * once, at start; an IPv6 scope ({@code %eth0}) means nothing to another host and is dropped.
   *
   * @throws IllegalArgumentException naming the host when it does not resolve
   */
  static String ipLiteral(String host) {
    try {
      String literal = InetAddress.getByName(host).getHostAddress();
      int scope = literal.indexOf('%');
      return scope < 0 ? literal : literal.substring(0, scope);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "advertise address '" + host + "' does not resolve to an IP address: " + e.getMessage());
    }
  }

  private static String hostFor(String bindHost) {
    if (!WILDCARDS.contains(bindHost)) {
      return bindHost;
    }
    Optional<InetAddress> found = candidates().stream().min(PREFERENCE);
    if (found.isEmpty()) {
      log.warn("no non-loopback address found; advertising 127.0.0.1, only this host can reach us");
      return "127.0.0.1";
    }
    String chosen = found.get().getHostAddress();
    if (isPrivate(found.get())) {
      log.info("bound to {}; advertising {} (set advertise to override)", bindHost, chosen);
    } else {
      log.warn(
          "bound to {} and this host has no private IPv4 address; advertising {}, which the other"
              + " nodes may not reach: set advertise (--advertise) to the address they should use",
          bindHost,
          chosen);
    }
    return chosen;
  }

  /** Private IPv4 first (the usual cluster network), then any other IPv4, then anything. */
  private static final Comparator<InetAddress> PREFERENCE =
      Comparator.comparingInt(a -> isPrivate(a) ? 0 : a instanceof Inet4Address ? 1 : 2);

  /**
   * RFC 1918 (10/8, 172.16/12, 192.168/16) or RFC 6598 shared address space (100.64/10, carrier and
   * cloud NAT), as go-sockaddr counts them for memberlist.
   */
  static boolean isPrivate(InetAddress address) {
    if (!(address instanceof Inet4Address)) {
      return false;
    }
    byte[] b = address.getAddress();
    boolean sharedSpace = (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    return address.isSiteLocalAddress() || sharedSpace;
  }

  private static List<InetAddress> candidates() {
    try {
      return NetworkInterface.networkInterfaces()
          .filter(AdvertiseAddress::isUp)
          .sorted(Comparator.comparingInt(NetworkInterface::getIndex))
          .flatMap(NetworkInterface::inetAddresses)
          .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress())
          .toList();
    } catch (SocketException e) {
      log.warn("cannot list network interfaces: {}", e.getMessage());
      return List.of();
    }
  }

  private static boolean isUp(NetworkInterface nic) {
    try {
      return nic.isUp() && !nic.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }
}
