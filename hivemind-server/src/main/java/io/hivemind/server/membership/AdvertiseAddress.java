package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
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
    return new Address(host, port);
  }

  private static String hostFor(String bindHost) {
    if (!WILDCARDS.contains(bindHost)) {
      return bindHost;
    }
    Optional<String> found = firstUsableAddress();
    if (found.isEmpty()) {
      log.warn("no non-loopback address found; advertising 127.0.0.1, only this host can reach us");
      return "127.0.0.1";
    }
    log.info(
        "bound to {}; advertising {} (set an advertise address to override)",
        bindHost,
        found.get());
    return found.get();
  }

  /** Private IPv4 first (the usual cluster network), then any other IPv4, then anything. */
  private static Optional<String> firstUsableAddress() {
    List<InetAddress> candidates = candidates();
    Comparator<InetAddress> preference =
        Comparator.comparingInt(
            a -> a instanceof Inet4Address ? (a.isSiteLocalAddress() ? 0 : 1) : 2);
    return candidates.stream().min(preference).map(InetAddress::getHostAddress);
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
