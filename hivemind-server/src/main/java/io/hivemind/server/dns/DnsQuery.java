package io.hivemind.server.dns;

/**
 * A decoded, checked query: one question, maybe an EDNS0 OPT record.
 *
 * @param id the query's id, echoed in the response
 * @param recursionDesired the RD flag, echoed (RFC 1035 4.1.1)
 * @param name the question's name as sent (case kept, for the echo), absolute
 * @param type the question's type
 * @param dnsClass the question's class
 * @param udpPayloadSize the requester's EDNS0 UDP payload size (RFC 6891 6.2.3), or 0 without OPT
 */
record DnsQuery(
    int id, boolean recursionDesired, String name, int type, int dnsClass, int udpPayloadSize) {

  boolean hasEdns() {
    return udpPayloadSize > 0;
  }
}
