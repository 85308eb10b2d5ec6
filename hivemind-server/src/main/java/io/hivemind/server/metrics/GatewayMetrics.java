package io.hivemind.server.metrics;

import io.hivemind.server.transport.ControlGatewayServer;
import io.hivemind.server.transport.GatewayServerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * A control node's gateway: followers connected, entries and snapshots sent, and every connection
 * it cut off or refused by reason (a refused TLS handshake among them). Read at scrape time from
 * the gateway's counters. Names: docs/metrics.md.
 */
public final class GatewayMetrics implements MeterBinder {

  private final ControlGatewayServer gateway;

  public GatewayMetrics(ControlGatewayServer gateway) {
    this.gateway = gateway;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("hivemind.control.gateway.connections", gateway, g -> g.connections())
        .description("Connections to this control node's gateway")
        .strongReference(true)
        .register(registry);
    Gauge.builder("hivemind.control.gateway.followers", gateway, g -> g.following())
        .description("Agents following the committed log through this gateway")
        .strongReference(true)
        .register(registry);
    GatewayServerStats stats = gateway.stats();
    counter(registry, "entries.sent", "Committed entries sent to followers", s -> s.entriesSent());
    counter(registry, "snapshots.sent", "Snapshots sent to followers", s -> s.snapshotsSent());
    counter(registry, "requests", "Submits and read-index requests answered", s -> s.requests());
    refused(registry, "tls", stats, GatewayServerStats::tlsFailures);
    refused(registry, "oversized", stats, GatewayServerStats::oversized);
    refused(registry, "malformed", stats, GatewayServerStats::malformed);
    refused(registry, "unexpected", stats, GatewayServerStats::unexpected);
    refused(registry, "slow", stats, GatewayServerStats::slowCutOff);
    refused(registry, "full", stats, GatewayServerStats::rejected);
    refused(registry, "environment", stats, GatewayServerStats::wrongEnvironment);
    denied(registry, "leader_only", stats, GatewayServerStats::leaderOnlyRefused);
    denied(registry, "identity", stats, GatewayServerStats::identityRefused);
    denied(registry, "acl", stats, GatewayServerStats::aclRefused);
    counter(
        registry,
        "catalog.unconfirmed",
        "Catalogue frames dropped while the follower's declared id was not admitted under its"
            + " certificate's name",
        s -> s.catalogUnconfirmed());
  }

  /**
   * What a follower may not do, by reason (docs/security.md, "Identity"): {@code leader_only} (a
   * command only the leader proposes), {@code identity} (over mutual TLS, a submit, link or
   * catalogue change about another node than the one its certificate names), {@code acl} (under
   * this node's ACLs, the request's token may not make the command). Submits are answered and the
   * connection stays; a link is closed.
   */
  private static void denied(
      MeterRegistry registry,
      String reason,
      GatewayServerStats stats,
      ToDoubleFunction<GatewayServerStats> value) {
    FunctionCounter.builder("hivemind.control.gateway.denied", stats, value)
        .description("Follower requests and links refused for what they ask, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<GatewayServerStats> value) {
    FunctionCounter.builder("hivemind.control.gateway." + name, gateway.stats(), value)
        .description(description)
        .register(registry);
  }

  /**
   * One counter a reason: {@code tls} (a failed mutual TLS handshake: untrusted or no certificate),
   * {@code oversized}, {@code malformed}, {@code unexpected} (a message a follower may not send),
   * {@code slow} (a follower that stopped reading), {@code full} (over the cap), {@code
   * environment} (a follower or mesh peer of another environment, or one that declared none).
   */
  private static void refused(
      MeterRegistry registry,
      String reason,
      GatewayServerStats stats,
      ToDoubleFunction<GatewayServerStats> value) {
    FunctionCounter.builder("hivemind.control.gateway.refused", stats, value)
        .description("Gateway connections closed or refused, by reason")
        .tag("reason", reason)
        .register(registry);
  }
}
