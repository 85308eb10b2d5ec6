package io.hivemind.server.dns;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The DNS interface's counters (docs/metrics.md, "DNS"), registered once when the role starts.
 * Micrometer's counters are thread-safe; the server's event loop is their only writer.
 */
final class DnsStats {

  /** The transports, as the {@code transport} tag. */
  enum Transport {
    UDP,
    TCP;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final int[] RCODES = {
    DnsTypes.NOERROR,
    DnsTypes.FORMERR,
    DnsTypes.SERVFAIL,
    DnsTypes.NXDOMAIN,
    DnsTypes.NOTIMP,
    DnsTypes.REFUSED
  };

  private final Map<Transport, Map<Integer, Counter>> answered = new EnumMap<>(Transport.class);
  private final Map<DnsRejection.Reason, Counter> rejected =
      new EnumMap<>(DnsRejection.Reason.class);
  private final Counter refused;
  private final Counter failed;
  private final Counter truncated;
  private final Counter forwarded;
  private final Counter forwardFailed;

  DnsStats(MeterRegistry registry) {
    for (Transport transport : Transport.values()) {
      Map<Integer, Counter> byRcode = new HashMap<>();
      for (int rcode : RCODES) {
        byRcode.put(rcode, answeredCounter(registry, transport, rcode));
      }
      answered.put(transport, byRcode);
    }
    for (DnsRejection.Reason reason : DnsRejection.Reason.values()) {
      rejected.put(reason, rejectedCounter(registry, reason.name().toLowerCase(Locale.ROOT)));
    }
    refused = rejectedCounter(registry, "refused");
    failed = rejectedCounter(registry, "internal_error");
    forwarded =
        Counter.builder("hivemind.dns.forwarded")
            .description("queries for names outside the domain sent on to a recursor")
            .register(registry);
    forwardFailed = rejectedCounter(registry, "forward_failed");
    truncated =
        Counter.builder("hivemind.dns.truncated")
            .description("UDP answers cut to fit, with TC set: the resolver retries over TCP")
            .register(registry);
  }

  private static Counter answeredCounter(MeterRegistry registry, Transport transport, int rcode) {
    return Counter.builder("hivemind.dns.responses")
        .description("DNS responses sent, by transport and response code")
        .tag("transport", transport.tag())
        .tag("rcode", DnsTypes.rcodeName(rcode))
        .register(registry);
  }

  private static Counter rejectedCounter(MeterRegistry registry, String reason) {
    return Counter.builder("hivemind.dns.rejected")
        .description("DNS queries not answered normally, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  void answered(Transport transport, int rcode) {
    Counter counter = answered.get(transport).get(rcode);
    if (counter != null) {
      counter.increment();
    }
  }

  void rejected(DnsRejection.Reason reason) {
    rejected.get(reason).increment();
  }

  /** A name outside the domain, or of another environment. */
  void refused() {
    refused.increment();
  }

  /** A query that failed inside the server (a bug): answered SERVFAIL. */
  void failed() {
    failed.increment();
  }

  void forwarded() {
    forwarded.increment();
  }

  /** A forwarded query the recursor did not answer in time, or one past the pending cap. */
  void forwardFailed() {
    forwardFailed.increment();
  }

  void truncated() {
    truncated.increment();
  }
}
