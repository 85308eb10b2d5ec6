package io.hivemind.server.metrics;

import io.hivemind.server.catalog.RelayStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * The catalogue's replication between nodes (ADR 0004): changes applied and their echoes, gaps,
 * refusals, frames and bytes. Read at scrape time from {@link RelayStats}. Names: docs/metrics.md.
 */
public final class ReplicationMetrics implements MeterBinder {

  private static final String PREFIX = "hivemind.catalog.replication.";

  private final RelayStats stats;

  public ReplicationMetrics(RelayStats stats) {
    this.stats = stats;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(
        registry,
        "applied",
        RelayStats::applied,
        "Owners' deltas and states that changed this replica (and were passed on)");
    counter(
        registry,
        "duplicates",
        RelayStats::duplicates,
        "Deltas and states already held here: a flood's echoes, stopped here");
    counter(
        registry,
        "gaps",
        RelayStats::gaps,
        "Deltas that skipped past what was held: each asked its sender for the owner's state");
    counter(
        registry,
        "unknown.owner",
        RelayStats::unknownOwners,
        "Changes of owners the control plane has not admitted (yet, or any more)");
    counter(
        registry,
        "forged",
        RelayStats::forged,
        "Changes a follower sent of an owner other than itself: refused");
    counter(
        registry,
        "malformed",
        RelayStats::malformed,
        "Catalogue frames that did not decode: dropped");
    counter(
        registry,
        "oversized",
        RelayStats::oversized,
        "Catalogue frames over the frame limit even after chunking: not sent");
    counter(
        registry,
        "chunks.received",
        RelayStats::chunksReceived,
        "Chunks of owners' states too large for one frame, received");
    counter(
        registry,
        "chunks.ignored",
        RelayStats::chunksIgnored,
        "State chunks stale, duplicate or out of order: dropped");
    counter(
        registry,
        "repairs.deferred",
        RelayStats::repairsDeferred,
        "Owners a digest answer left out: already sent on that link, the peer catching up");
    counter(
        registry,
        "chunks.refused",
        RelayStats::chunksRefused,
        "State chunks over the per-link staging bound or inconsistent: dropped with the staging");
    directional(
        registry, "frames", RelayStats::framesSent, RelayStats::framesReceived, "Catalogue frames");
    directional(
        registry,
        "bytes",
        RelayStats::bytesSent,
        RelayStats::bytesReceived,
        "Catalogue frame bytes");
  }

  private void counter(
      MeterRegistry registry, String name, ToDoubleFunction<RelayStats> value, String description) {
    FunctionCounter.builder(PREFIX + name, stats, value)
        .description(description)
        .register(registry);
  }

  private void directional(
      MeterRegistry registry,
      String name,
      ToDoubleFunction<RelayStats> sent,
      ToDoubleFunction<RelayStats> received,
      String description) {
    FunctionCounter.builder(PREFIX + name, stats, sent)
        .description(description + " sent to peers")
        .tag("direction", "sent")
        .register(registry);
    FunctionCounter.builder(PREFIX + name, stats, received)
        .description(description + " received from peers")
        .tag("direction", "received")
        .register(registry);
  }
}
