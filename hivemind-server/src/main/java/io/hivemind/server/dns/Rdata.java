package io.hivemind.server.dns;

import java.net.InetAddress;

/** The data of one answer record, by type; {@link DnsWire} writes each in its RFC's layout. */
sealed interface Rdata {

  /** A (4 bytes) or AAAA (16 bytes), RFC 1035 3.4.1 and RFC 3596 2.2. */
  record Address(InetAddress address) implements Rdata {}

  /** RFC 2782: priority, weight and port, then the target's name. */
  record Srv(int priority, int weight, int port, String target) implements Rdata {}

  /** RFC 1035 3.3.12: the name an address belongs to. */
  record Ptr(String target) implements Rdata {}

  /** RFC 1035 3.3.13; {@code minimum} is the negative-caching TTL (RFC 2308). */
  record Soa(
      String mname, String rname, long serial, int refresh, int retry, int expire, long minimum)
      implements Rdata {}
}
