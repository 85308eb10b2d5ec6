package io.hivemind.server.metrics;

import io.hivemind.core.state.StateResult;
import io.hivemind.server.state.StateServiceStats;
import io.hivemind.server.transport.StateTransportStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The partitioned store's meters (issue 13; docs/metrics.md, {@code hivemind.state.*}): requests by
 * operation and result, forwards, messages by type (backup acknowledgements and snapshot chunks
 * among them), what the node holds, and the transport's bytes and refusals.
 */
public final class StateMetrics implements MeterBinder {

  private static final List<String> OPS = List.of("get", "put", "delete", "cas");

  private final StateServiceStats service;
  private final StateTransportStats transport;

  /**
   * @param transport the transport's counters, or null when it is not bound
   */
  public StateMetrics(StateServiceStats service, StateTransportStats transport) {
    this.service = service;
    this.transport = transport;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String op : OPS) {
      for (String result : results()) {
        FunctionCounter.builder("hivemind.state.requests", service, s -> s.requests(op, result))
            .description("Partitioned-state requests answered, by operation and result")
            .tag("op", op)
            .tag("result", result)
            .register(registry);
      }
    }
    counter(
        registry,
        "forwarded",
        "Requests answered for a key another agent owns",
        s -> s.forwarded());
    counter(
        registry,
        "inbound.dropped",
        "Peers' messages dropped: the driver was behind",
        s -> s.inboundDropped());
    counter(
        registry,
        "no.address",
        "Messages to a member that announced no state address",
        s -> s.noAddress());
    counter(
        registry,
        "moves.caught.up",
        "Migration moves whose destination caught up",
        s -> s.movesCaughtUp());
    gauges(registry);
    service.onNewMessageType(
        (direction, type) ->
            FunctionCounter.builder(
                    "hivemind.state.messages", service, s -> s.messages(direction, type))
                .description("State messages between agents, by direction and type")
                .tag("direction", direction)
                .tag("type", type)
                .register(registry));
    if (transport != null) {
      transport(registry);
    }
  }

  private static List<String> results() {
    List<String> results =
        new ArrayList<>(List.of("found", "absent", "written", "deleted", "conflict", "redirect"));
    for (StateResult.UnavailableReason reason : StateResult.UnavailableReason.values()) {
      results.add(reason.name().toLowerCase(Locale.ROOT));
    }
    return results;
  }

  private void gauges(MeterRegistry registry) {
    Gauge.builder("hivemind.state.table.version", service, s -> s.node().tableVersion())
        .description("Version of the partition table the node applies")
        .register(registry);
    Gauge.builder("hivemind.state.partitions.owned", service, s -> s.node().partitionsOwned())
        .register(registry);
    Gauge.builder("hivemind.state.partitions.held", service, s -> s.node().partitionsHeld())
        .description("Partitions this node holds a copy of: owned, backed up or filling")
        .register(registry);
    Gauge.builder("hivemind.state.entries", service, s -> s.node().entries())
        .description("Live entries held, over every partition held")
        .register(registry);
    Gauge.builder("hivemind.state.streaming", service, s -> s.node().streaming())
        .description("Partitions being streamed to a migration's destination now")
        .register(registry);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<StateServiceStats> value) {
    FunctionCounter.builder("hivemind.state." + name, service, value)
        .description(description)
        .register(registry);
  }

  private void transport(MeterRegistry registry) {
    net(registry, "bytes.in", "State message bytes received", s -> s.bytesIn());
    net(
        registry,
        "bytes.out",
        "State message bytes sent (snapshot chunks included)",
        s -> s.bytesOut());
    net(registry, "frames.in", "State messages received", s -> s.framesIn());
    net(registry, "frames.out", "State messages sent", s -> s.framesOut());
    net(registry, "accepted", "Connections accepted", s -> s.accepted());
    net(registry, "connected", "Connections to peers opened", s -> s.connected());
    net(registry, "closed", "Connections to peers failed or closed", s -> s.connectFailures());
    net(registry, "dropped.backoff", "Messages dropped while re-dialling", s -> s.droppedBackoff());
    refused(registry, "malformed", s -> s.malformed());
    refused(registry, "oversized", s -> s.oversized());
    refused(registry, "cluster", s -> s.wrongCluster());
    refused(registry, "peer", s -> s.wrongPeer());
    refused(registry, "identity", s -> s.wrongIdentity());
    refused(registry, "slow", s -> s.slowCutOff());
    refused(registry, "accept", s -> s.acceptErrors());
    refused(registry, "too.large", s -> s.droppedTooLarge());
  }

  private void net(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<StateTransportStats> value) {
    FunctionCounter.builder("hivemind.state.transport." + name, transport, value)
        .description(description)
        .register(registry);
  }

  /**
   * One counter a reason: {@code malformed}, {@code oversized}, {@code cluster} (another cluster or
   * environment), {@code peer} (not the member dialled), {@code identity} (a certificate that does
   * not name the claimed member's host), {@code slow} (stopped reading), {@code accept} (failed
   * accepts), {@code too.large} (a message over the frame limit, not sent).
   */
  private void refused(
      MeterRegistry registry, String reason, ToDoubleFunction<StateTransportStats> value) {
    FunctionCounter.builder("hivemind.state.transport.refused", transport, value)
        .description("State connections closed or messages refused, by reason")
        .tag("reason", reason)
        .register(registry);
  }
}
