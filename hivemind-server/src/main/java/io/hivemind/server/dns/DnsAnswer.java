package io.hivemind.server.dns;

import java.util.List;

/**
 * What the interface answers to one question, before it is encoded.
 *
 * @param rcode the response code ({@link DnsTypes})
 * @param answers the answer section, in the order sent (shuffled by weight for services)
 * @param authority the authority section: the SOA of negative answers (RFC 2308)
 * @param additional the additional section: addresses of SRV targets; left out first when the
 *     answer does not fit (RFC 2181 9)
 */
record DnsAnswer(
    int rcode,
    List<ResourceRecord> answers,
    List<ResourceRecord> authority,
    List<ResourceRecord> additional) {

  DnsAnswer {
    answers = List.copyOf(answers);
    authority = List.copyOf(authority);
    additional = List.copyOf(additional);
  }

  /** An answer with no records at all: REFUSED, FORMERR. */
  static DnsAnswer bare(int rcode) {
    return new DnsAnswer(rcode, List.of(), List.of(), List.of());
  }
}
