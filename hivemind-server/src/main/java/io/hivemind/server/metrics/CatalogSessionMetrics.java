package io.hivemind.server.metrics;

import io.hivemind.core.catalog.SessionRefusal;
import io.hivemind.server.catalog.CatalogSessionStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;

/** The catalogue's client sessions as metrics: held, opened, resumed, expired, refused by code. */
public final class CatalogSessionMetrics implements MeterBinder {

  private final CatalogSessionStats stats;

  public CatalogSessionMetrics(CatalogSessionStats stats) {
    this.stats = stats;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("hivemind.catalog.sessions", stats, CatalogSessionStats::sessions)
        .description("Client sessions held: connected, or within their grace")
        .register(registry);
    FunctionCounter.builder("hivemind.catalog.sessions.opened", stats, s -> s.opened())
        .register(registry);
    FunctionCounter.builder("hivemind.catalog.sessions.resumed", stats, s -> s.resumed())
        .register(registry);
    FunctionCounter.builder("hivemind.catalog.sessions.expired", stats, s -> s.expired())
        .description("Sessions whose grace ran out: their instances were deregistered")
        .register(registry);
    FunctionCounter.builder("hivemind.catalog.sessions.malformed", stats, s -> s.malformed())
        .register(registry);
    FunctionCounter.builder("hivemind.catalog.sessions.denied", stats, s -> s.denied())
        .description("Registers refused by ACLs: the session's token lacks service write")
        .register(registry);
    for (SessionRefusal code : SessionRefusal.values()) {
      FunctionCounter.builder("hivemind.catalog.sessions.refused", stats, s -> s.refused(code))
          .description("Client hellos refused, by reason (a wrong environment among them)")
          .tag("reason", code.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }
}
