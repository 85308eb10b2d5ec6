package io.hivemind.server.metrics;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.DropReason;
import io.hivemind.core.membership.Member;
import io.hivemind.server.membership.MembershipCounters;
import io.hivemind.server.transport.TransportStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Membership metrics of one agent: members by state, the SWIM counters of the core and the
 * transport's packet and drop counters. Every meter reads a counter the owning thread already keeps
 * (or the published member snapshot) at scrape time, so metrics cost the event loop nothing.
 *
 * <p>Names follow Prometheus conventions once exported ({@code hivemind_members{state="alive"}},
 * {@code hivemind_gossip_packets_sent_total}, ...); the full list is in docs/metrics.md.
 */
public final class MembershipMetrics implements MeterBinder {

  private final Supplier<List<Member>> members;
  private final Supplier<MembershipCounters> core;
  private final TransportStats transport;
  private final Supplier<Integer> localHealthScore;

  /**
   * @param members the published member snapshot
   * @param core the core's counters (read racily, as metrics may)
   * @param transport the transport's counters
   * @param localHealthScore Lifeguard's local health score
   */
  public MembershipMetrics(
      Supplier<List<Member>> members,
      Supplier<MembershipCounters> core,
      TransportStats transport,
      Supplier<Integer> localHealthScore) {
    this.members = members;
    this.core = core;
    this.transport = transport;
    this.localHealthScore = localHealthScore;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (MemberState state : MemberState.values()) {
      Gauge.builder("hivemind.members", members, m -> count(m.get(), state))
          .description("Members this agent knows, by state (itself included)")
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    Gauge.builder("hivemind.membership.local.health", localHealthScore, s -> s.get())
        .description("Lifeguard local health score: 0 is healthy; probes stretch by score + 1")
        .register(registry);

    coreCounter(
        registry, "hivemind.membership.probes", "Probes started", MembershipCounters::probes);
    coreCounter(
        registry,
        "hivemind.membership.probe.failures",
        "Probes with no ack, direct or indirect",
        MembershipCounters::probeFailures);
    coreCounter(
        registry,
        "hivemind.membership.suspicions",
        "Members this agent started suspecting",
        MembershipCounters::suspicions);
    coreCounter(
        registry,
        "hivemind.membership.refutations",
        "Times this agent refuted a suspicion or death of itself",
        MembershipCounters::refutations);
    coreCounter(
        registry,
        "hivemind.gossip.messages.sent",
        "Protocol messages sent (several per packet)",
        MembershipCounters::messagesSent);

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

    for (DropReason reason : DropReason.values()) {
      FunctionCounter.builder("hivemind.gossip.dropped", this, m -> m.dropped(reason))
          .description("Packets and streams dropped, by reason")
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }

  /** Drops the core counted, plus those the transport counted before the core saw the bytes. */
  private double dropped(DropReason reason) {
    long count = core.get().dropped(reason);
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
      ToDoubleFunction<MembershipCounters> value) {
    FunctionCounter.builder(name, core, c -> value.applyAsDouble(c.get()))
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
