package io.hivemind.server.dns;

import io.hivemind.server.logging.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
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
  private final DnsForwarder forwarder;

  /**
   * @param forwarder where names outside the domain go, or null: they are refused
   */
  DnsResponder(
      DnsAnswerer answerer, DnsStats stats, LongSupplier nanoClock, DnsForwarder forwarder) {
    this.answerer = answerer;
    this.stats = stats;
    this.nanoClock = nanoClock;
    this.forwarder = forwarder;
  }

  /** A responder that forwards nothing. */
  DnsResponder(DnsAnswerer answerer, DnsStats stats, LongSupplier nanoClock) {
    this(answerer, stats, nanoClock, null);
  }

  /**
   * The response to the query in {@code in} (not released here), or null when nothing is to be sent
   * back.
   *
   * @param transport which limit applies: the query's EDNS0 size over UDP, 64 KiB over TCP
   */
  ByteBuf respond(ByteBuf in, DnsStats.Transport transport, ByteBufAllocator alloc) {
    return respond(in, transport, alloc, ByteBuf::release);
  }

  /**
   * As {@link #respond(ByteBuf, DnsStats.Transport, ByteBufAllocator)}; a query for a name outside
   * the domain, when recursors are configured, is forwarded: null now, and {@code later} gets the
   * answer (or a SERVFAIL) on the event loop.
   */
  ByteBuf respond(
      ByteBuf in, DnsStats.Transport transport, ByteBufAllocator alloc, Consumer<ByteBuf> later) {
    int start = in.readerIndex();
    DnsQuery query;
    try {
      query = DnsWire.decode(in);
    } catch (DnsRejection rejection) {
      return rejected(rejection, transport, alloc);
    }
    if (forwarder != null && answerer.isOutside(query.name())) {
      ByteBuf copy = Unpooled.copiedBuffer(in.slice(start, in.writerIndex() - start));
      forwarder.forward(
          copy,
          query.id(),
          servfail(query, transport, alloc),
          answer -> {
            stats.answered(transport, answer.getUnsignedByte(3) & 0xF);
            later.accept(answer);
          });
      return null;
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

  /** SERVFAIL with the question echoed, as resolvers expect of every answer to a parsed query. */
  private static ByteBuf servfail(
      DnsQuery query, DnsStats.Transport transport, ByteBufAllocator alloc) {
    int limit =
        transport == DnsStats.Transport.UDP ? DnsWire.udpLimit(query) : DnsWire.MAX_TCP_BYTES;
    return DnsWire.encode(query, DnsAnswer.bare(DnsTypes.SERVFAIL), limit, alloc).message();
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
