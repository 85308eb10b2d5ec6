package io.hivemind.core.control;

import io.hivemind.core.catalog.HealthStatus;
import java.util.Objects;

/**
 * A check of an {@link ExternalNode}, as {@code PUT /v1/catalog/register} gives it. Nothing runs
 * it: its status is the one registered, as with Consul's catalog checks, until re-registered.
 *
 * @param checkId unique on its node
 * @param serviceId the node's service it is about, or "" for the whole node
 */
public record ExternalCheck(
    String checkId,
    String name,
    HealthStatus status,
    String notes,
    String output,
    String serviceId) {

  public ExternalCheck {
    ExternalRules.id("check id", Objects.requireNonNull(checkId, "checkId"), false);
    ExternalRules.text(
        "check name", Objects.requireNonNull(name, "name"), ExternalRules.MAX_CHECK_TEXT_CHARS);
    Objects.requireNonNull(status, "status");
    ExternalRules.text(
        "check notes", Objects.requireNonNull(notes, "notes"), ExternalRules.MAX_CHECK_TEXT_CHARS);
    // Output is a probe's text in Consul: newlines are allowed, other control characters are not.
    Objects.requireNonNull(output, "output");
    ExternalRules.text(
        "check output", output.replace('\n', ' '), ExternalRules.MAX_CHECK_TEXT_CHARS);
    ExternalRules.id("check service id", Objects.requireNonNull(serviceId, "serviceId"), true);
  }
}
