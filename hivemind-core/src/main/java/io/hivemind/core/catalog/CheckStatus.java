package io.hivemind.core.catalog;

import java.util.Objects;

/**
 * A check's latest result as its owner publishes it to every replica: what Consul's {@code
 * /v1/health/*} answers show. The check's definition (interval, target, headers) stays with the
 * owner; replicas need only the outcome.
 *
 * @param checkId unique within its owner
 * @param name a human name
 * @param kind how the status is learned
 * @param status the latest status
 * @param output the latest output (HTTP body excerpt, error sentence), bounded by the owner
 * @param node a node check (Consul's checks registered without a {@code ServiceID}): the owner's
 *     node's, which every instance of that owner carries, so that it counts in each one's health on
 *     every replica (Consul applies a node's checks to all its services); shown once per node
 */
public record CheckStatus(
    String checkId, String name, CheckKind kind, HealthStatus status, String output, boolean node) {

  /** The longest output kept: Consul keeps 4 KiB of a check's output. */
  public static final int MAX_OUTPUT_CHARS = 4096;

  public CheckStatus {
    CatalogNames.requireCheckId(checkId);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
    if (output.length() > MAX_OUTPUT_CHARS) {
      output = output.substring(0, MAX_OUTPUT_CHARS);
    }
  }

  /** A check of one instance. */
  public CheckStatus(
      String checkId, String name, CheckKind kind, HealthStatus status, String output) {
    this(checkId, name, kind, status, output, false);
  }

  public CheckStatus withStatus(HealthStatus newStatus, String newOutput) {
    return new CheckStatus(checkId, name, kind, newStatus, newOutput, node);
  }
}
