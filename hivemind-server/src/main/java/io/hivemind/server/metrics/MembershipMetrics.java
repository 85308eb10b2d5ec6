package io.hivemind.server.metrics;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.DropReason;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipStats;
import io.hivemind.server.http.HttpApiStats;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.transport.TransportStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Membership metrics of one agent: members by state, the SWIM counters of the core, the transport's
 * packet and drop counters and, when given, the HTTP API's connection counters. Every meter reads a
 * counter the owning thread already keeps (or the published member snapshot) at scrape time, so
 * metrics cost the event loop nothing.
 *
 * <p>Every meter reads the service (or its transport counters) itself rather than a method
 * reference to it: Micrometer holds a meter's source weakly, and a lambda nobody else holds is
 * collected at the next GC, after which its gauge reads NaN.
 *
 * <p>Names follow Prometheus conventions once exported ({@code hivemind_members{state="alive"}},
 * {@code hivemind_gossip_packets_sent_total}, ...); the full list is in docs/metrics.md.
 */
public final class MembershipMetrics implements MeterBinder {

  private final MembershipService service;
  private final TransportStats transport;
  private final HttpApiStats http;

  /** Metrics of {@code service}, read from its published view and counters at scrape time. */
  public MembershipMetrics(MembershipService service) {
    this(service, null);
  }

  /**
   * Metrics of {@code service} and of the agent's HTTP API ({@code hivemind_http_*}), read at
   * scrape time.
   *
   * @param http the API's counters; null for none (a service without an API)
   */
  public MembershipMetrics(MembershipService service, HttpApiStats http) {
    this.service = service;
    this.transport = service.transportStats();
    this.http = http;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (MemberState state : MemberState.values()) {
      Gauge.builder("hivemind.members", service, s -> count(s.members(), state))
          .description("Members this agent knows, by state (itself included)")
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .strongReference(true)
          .register(registry);
    }
    Gauge.builder("hivemind.membership.local.health", service, s -> s.localHealthScore())
        .description("Lifeguard local health score: 0 is healthy; probes stretch by score + 1")
        .strongReference(true)
        .register(registry);

    coreCounter(registry, "hivemind.membership.probes", "Probes started", MembershipStats::probes);
    coreCounter(
        registry,
        "hivemind.membership.probe.failures",
        "Probes with no ack, direct or indirect",
        MembershipStats::probeFailures);
    coreCounter(
        registry,
        "hivemind.membership.suspicions",
        "Members this agent started suspecting",
        MembershipStats::suspicions);
    coreCounter(
        registry,
        "hivemind.membership.refutations",
        "Times this agent refuted a suspicion or death of itself",
        MembershipStats::refutations);
    coreCounter(
        registry,
        "hivemind.membership.members.refused",
        "Alive updates about new members refused: the member table was full (maxMembers)",
        MembershipStats::membersRefused);
    coreCounter(
        registry,
        "hivemind.membership.name.conflicts",
        "Alive updates refused because another process claims a live member's name",
        MembershipStats::nameConflicts);
    coreCounter(
        registry,
        "hivemind.gossip.messages.sent",
        "Protocol messages sent (several per packet)",
        MembershipStats::messagesSent);

    transportCounter(
        registry, "hivemind.gossip.packets.sent", "UDP packets sent", TransportStats::packetsSent);
    transportCounter(
        registry,
        "hivemind.gossip.packets.received",
        "UDP packets received",
        TransportStats::packetsReceived);
    transportCounter(
        registry,
        "hivemind.gossip.bytes.sent",
        "UDP bytes sent, encryption included",
        TransportStats::bytesSent);
    transportCounter(
        registry,
        "hivemind.gossip.bytes.received",
        "UDP bytes received, encryption included",
        TransportStats::bytesReceived);
    transportCounter(
        registry,
        "hivemind.gossip.streams.opened",
        "TCP streams opened (push-pull, join, fallback probes)",
        TransportStats::streamsOpened);
    transportCounter(
        registry,
        "hivemind.gossip.streams.accepted",
        "TCP streams accepted",
        TransportStats::streamsAccepted);
    transportCounter(
        registry,
        "hivemind.gossip.stream.failures",
        "TCP streams that failed (refused, reset, timed out)",
        TransportStats::streamFailures);
    transportCounter(
        registry,
        "hivemind.gossip.streams.rejected",
        "Inbound TCP streams closed at once: too many were open",
        TransportStats::streamsRejected);
    transportCounter(
        registry,
        "hivemind.gossip.accept.errors",
        "Failed accepts on the gossip TCP port (most often: out of file descriptors)",
        TransportStats::acceptErrors);
    transportCounter(
        registry,
        "hivemind.gossip.packet.send.failures",
        "UDP packets not sent: unresolvable address, socket error or full send buffer",
        TransportStats::packetSendFailures);

    for (DropReason reason : DropReason.values()) {
      FunctionCounter.builder("hivemind.gossip.dropped", service, s -> dropped(s, reason))
          .description("Packets and streams dropped, by reason")
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    if (http != null) {
      bindHttp(registry);
    }
  }

  private void bindHttp(MeterRegistry registry) {
    Gauge.builder("hivemind.http.connections.open", http, HttpApiStats::connectionsOpen)
        .description("HTTP API connections open now (never more than its cap)")
        .strongReference(true)
        .register(registry);
    httpCounter(
        registry,
        "hivemind.http.connections.accepted",
        "HTTP API connections accepted and served",
        HttpApiStats::connectionsAccepted);
    httpCounter(
        registry,
        "hivemind.http.connections.rejected",
        "HTTP API connections refused (503) because the cap was reached",
        HttpApiStats::connectionsRejected);
    FunctionCounter.builder("hivemind.http.requests.timed.out", http, HttpApiStats::headTimeouts)
        .description("HTTP requests that did not arrive in time (408), by the part that was late")
        .tag("part", "head")
        .register(registry);
    FunctionCounter.builder("hivemind.http.requests.timed.out", http, HttpApiStats::bodyTimeouts)
        .description("HTTP requests that did not arrive in time (408), by the part that was late")
        .tag("part", "body")
        .register(registry);
    httpCounter(
        registry,
        "hivemind.http.uploads.refused",
        "HTTP requests refused (503) because the bodies being received used up their budget",
        HttpApiStats::uploadsRefused);
    httpCounter(
        registry,
        "hivemind.http.accept.errors",
        "Failed accepts on the HTTP port (most often: out of file descriptors)",
        HttpApiStats::acceptErrors);
  }

  private void httpCounter(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<HttpApiStats> value) {
    FunctionCounter.builder(name, http, value).description(description).register(registry);
  }

  /** Drops the core counted, plus those the transport counted before the core saw the bytes. */
  private static double dropped(MembershipService service, DropReason reason) {
    TransportStats transport = service.transportStats();
    long count = service.counters().dropped(reason);
    switch (reason) {
      case UNAUTHENTICATED -> count += transport.droppedUnauthenticated();
      case OVERSIZED -> count += transport.droppedOversized();
      case MALFORMED -> count += transport.droppedMalformed();
      default -> {}
    }
    return count;
  }

  private static double count(List<Member> members, MemberState state) {
    return members.stream().filter(m -> m.state() == state).count();
  }

  private void coreCounter(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<MembershipStats> value) {
    FunctionCounter.builder(name, service, s -> value.applyAsDouble(s.counters()))
        .description(description)
        .register(registry);
  }

  private void transportCounter(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<TransportStats> value) {
    FunctionCounter.builder(name, transport, value).description(description).register(registry);
  }
}
