package io.hivemind.core.catalog;

import java.util.List;

/**
 * What {@link HealthChecks#tick} found due: checks whose TTL ran out (now critical), and instances
 * whose check stayed critical past its {@code DeregisterCriticalServiceAfter}, which the owning
 * agent deregisters.
 */
public record HealthTick(List<CheckResult> results, List<String> deregistrations) {

  public static final HealthTick NONE = new HealthTick(List.of(), List.of());

  public HealthTick {
    results = List.copyOf(results);
    deregistrations = List.copyOf(deregistrations);
  }

  public boolean isEmpty() {
    return results.isEmpty() && deregistrations.isEmpty();
  }
}
