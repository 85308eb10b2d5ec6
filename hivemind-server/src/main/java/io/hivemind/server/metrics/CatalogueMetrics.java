package io.hivemind.server.metrics;

import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.server.catalog.AgentCatalogue;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The agent's catalogue: instances its replica holds, owners it admits, instances and checks it
 * owns, deltas it drained. Read at scrape time from the catalogue's published figures (no hop onto
 * its loop). Names: docs/metrics.md.
 */
public final class CatalogueMetrics implements MeterBinder {

  private final AgentCatalogue catalogue;

  public CatalogueMetrics(AgentCatalogue catalogue) {
    this.catalogue = catalogue;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("hivemind.catalog.instances", catalogue, c -> c.view().instanceCount())
        .description("Service instances this node's replica holds, every owner's")
        .strongReference(true)
        .register(registry);
    Gauge.builder("hivemind.catalog.owners", catalogue, AgentCatalogue::owners)
        .description("Owners whose instances the replica holds: the admitted members")
        .strongReference(true)
        .register(registry);
    Gauge.builder("hivemind.catalog.own.instances", catalogue, c -> c.localInstances().size())
        .description("Service instances registered on this agent")
        .strongReference(true)
        .register(registry);
    for (HealthStatus status : HealthStatus.values()) {
      Gauge.builder(
              "hivemind.catalog.checks", catalogue, c -> c.checksByStatus().getOrDefault(status, 0))
          .description("This agent's checks, by status")
          .tag("status", status.consulName())
          .strongReference(true)
          .register(registry);
    }
    FunctionCounter.builder(
            "hivemind.catalog.deltas.drained", catalogue, AgentCatalogue::deltasDrained)
        .description("Deltas of this agent's own changes drained and handed to replication")
        .register(registry);
  }
}
