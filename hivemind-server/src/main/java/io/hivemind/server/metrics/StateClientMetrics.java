package io.hivemind.server.metrics;

import io.hivemind.core.state.StateClientMessage.ErrorCode;
import io.hivemind.core.state.StateClientMessage.Refusal;
import io.hivemind.server.transport.StateClientStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The state client port's meters (docs/metrics.md, {@code hivemind.state.client.*}): connections
 * open and accepted, requests handed to the store, refusals by reason, errors by code.
 */
public final class StateClientMetrics implements MeterBinder {

  private final StateClientStats stats;

  public StateClientMetrics(StateClientStats stats) {
    this.stats = stats;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("hivemind.state.client.connections", stats, StateClientStats::connections)
        .description("State client connections open")
        .register(registry);
    counter(registry, "accepted", "State client connections accepted", s -> s.accepted());
    counter(registry, "welcomed", "State client hellos answered with a welcome", s -> s.welcomed());
    counter(registry, "requests", "State client requests handed to the store", s -> s.requests());
    counter(
        registry,
        "overloaded",
        "State client requests beyond a connection's in-flight bound, answered overloaded",
        s -> s.overloaded());
    counter(
        registry,
        "malformed",
        "State client connections closed for a frame that was not a valid message",
        s -> s.malformed());
    for (Refusal reason : Refusal.values()) {
      FunctionCounter.builder("hivemind.state.client.refused", stats, s -> s.refusals(reason))
          .description("State client connections refused, by reason")
          .tag("reason", reason.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    for (ErrorCode code : ErrorCode.values()) {
      FunctionCounter.builder("hivemind.state.client.errors", stats, s -> s.errors(code))
          .description("State client requests the agent refused itself, by code")
          .tag("code", code.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<StateClientStats> value) {
    FunctionCounter.builder("hivemind.state.client." + name, stats, value)
        .description(description)
        .register(registry);
  }
}
