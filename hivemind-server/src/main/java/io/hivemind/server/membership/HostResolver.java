package io.hivemind.server.membership;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Looks up the IP addresses of a seed's host name. Called off the node's event loop, on the
 * service's resolver thread, so it may block (a slow DNS server delays the join, never a probe).
 * Tests inject one that needs no DNS.
 */
@FunctionalInterface
public interface HostResolver {

  /**
   * The addresses {@code host} names, in preference order; never empty.
   *
   * @throws UnknownHostException if the name cannot be resolved now
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The JDK's resolver (hosts file, then DNS, through the JVM's address cache). */
  static HostResolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
