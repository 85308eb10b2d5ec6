package io.hivemind.server.dns;

import io.hivemind.server.logging.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One query's bytes in, the response's bytes out (or none): decode, answer, encode, count. Shared
 * by the UDP and TCP handlers and free of sockets, so the golden and fuzzed packets of the tests go
 * through exactly what the server runs.
 *
 * <p>Owning thread: the DNS event loop (the counters and the rate-limited log are its only state).
 * Never throws: whatever a packet holds, the loop goes on.
 */
final class DnsResponder {

  private static final Logger log = LoggerFactory.getLogger(DnsResponder.class);

  private final DnsAnswerer answerer;
  private final DnsStats stats;
  private final RateLimitedLog rateLimited = new RateLimitedLog(log);
  private final LongSupplier nanoClock;

  DnsResponder(DnsAnswerer answerer, DnsStats stats, LongSupplier nanoClock) {
    this.answerer = answerer;
    this.stats = stats;
    this.nanoClock = nanoClock;
  }

  /**
   * The response to the query in {@code in} (not released here), or null when nothing is to be sent
   * back.
   *
   * @param transport which limit applies: the query's EDNS0 size over UDP, 64 KiB over TCP
   */
  ByteBuf respond(ByteBuf in, DnsStats.Transport transport, ByteBufAllocator alloc) {
    DnsQuery query;
    try {
      query = DnsWire.decode(in);
    } catch (DnsRejection rejection) {
      return rejected(rejection, transport, alloc);
    }
    try {
      return answer(query, transport, alloc);
    } catch (RuntimeException e) { // a bug: the requester gets SERVFAIL, the loop goes on
      stats.failed();
      rateLimited.error(
          nanoClock.getAsLong(), "failed", "DNS query for {} failed", query.name(), e);
      stats.answered(transport, DnsTypes.SERVFAIL);
      return DnsWire.encodeBare(query.id(), DnsTypes.SERVFAIL, alloc);
    }
  }

  private ByteBuf answer(DnsQuery query, DnsStats.Transport transport, ByteBufAllocator alloc) {
    DnsAnswer answer;
    if (query.dnsClass() != DnsTypes.CLASS_IN && query.dnsClass() != DnsTypes.CLASS_ANY) {
      answer = DnsAnswer.bare(DnsTypes.REFUSED); // CHAOS and the like: nothing here is theirs
    } else {
      answer = answerer.answer(query.name(), query.type());
    }
    if (answer.rcode() == DnsTypes.REFUSED) {
      stats.refused();
    }
    int limit =
        transport == DnsStats.Transport.UDP ? DnsWire.udpLimit(query) : DnsWire.MAX_TCP_BYTES;
    DnsWire.Encoded encoded = DnsWire.encode(query, answer, limit, alloc);
    if (encoded.truncated()) {
      stats.truncated();
    }
    stats.answered(transport, answer.rcode());
    return encoded.message();
  }

  private ByteBuf rejected(
      DnsRejection rejection, DnsStats.Transport transport, ByteBufAllocator alloc) {
    stats.rejected(rejection.reason());
    rateLimited.warn(
        nanoClock.getAsLong(),
        rejection.reason().name(),
        "DNS query rejected ({}): {}",
        rejection.reason(),
        rejection.getMessage());
    if (!rejection.answered()) {
      return null;
    }
    stats.answered(transport, rejection.rcode());
    return DnsWire.encodeBare(rejection.id(), rejection.rcode(), alloc);
  }
}
