package io.hivemind.server.catalog;

import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.HealthStatus;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one HTTP or TCP check's probe (the agent's is {@code
 * io.hivemind.server.transport.HealthProber}, on Netty; tests pass their own).
 *
 * <p>Thread-safe. The future must complete, normally, within the check's timeout (plus a little): a
 * probe that fails is a {@link HealthStatus#CRITICAL} outcome with the reason as output, not an
 * exceptional future (one is treated as critical all the same).
 */
@FunctionalInterface
public interface CheckProber {

  /** Probes {@code check}'s target once. */
  CompletableFuture<Outcome> probe(CheckDefinition check);

  /** A probe's outcome: its status by Consul's rule and a short sentence of what it saw. */
  record Outcome(HealthStatus status, String output) {}
}
