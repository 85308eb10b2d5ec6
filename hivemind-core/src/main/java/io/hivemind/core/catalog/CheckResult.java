package io.hivemind.core.catalog;

import java.util.Objects;

/**
 * One check's result for the owning agent to record in its {@link OwnerLedger}: a TTL report, a
 * probe's outcome, or a TTL that ran out.
 *
 * @param serviceId the instance the check belongs to
 * @param checkId the check
 * @param status its status now
 * @param output what the service reported, the probe saw, or why it turned critical
 */
public record CheckResult(String serviceId, String checkId, HealthStatus status, String output) {

  public CheckResult {
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(checkId, "checkId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
  }
}
