package io.hivemind.server.transport;

import io.hivemind.core.membership.Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Conversions between the core's opaque {@link Address} and socket addresses. */
final class NetAddresses {

  private NetAddresses() {}

  /** The sender as the core should see it: a literal IP, never a reverse lookup. */
  static Address toAddress(SocketAddress socketAddress) {
    InetSocketAddress inet = (InetSocketAddress) socketAddress;
    String host =
        inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
    return new Address(host, inet.getPort());
  }

  /**
   * Turns {@code address} into a socket address. Members advertise literal IPs and the membership
   * service resolves seed names before the node sees them (off the loop), so this never waits on
   * DNS; a name that slipped through anyway yields an unresolved address, which the caller treats
   * as a failed send.
   */
  static InetSocketAddress toSocketAddress(Address address) {
    return new InetSocketAddress(address.host(), address.port());
  }
}
