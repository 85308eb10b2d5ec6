package io.hivemind.core.control;

import java.util.Objects;

/**
 * An observer's standing suspicion of a subject, as the removal rule keeps it (and as snapshots
 * carry it, so a replica restored from a snapshot decides as one that applied every entry).
 */
public record Suspicion(
    String subject, String observer, long incarnation, long sinceMillis, int localHealth) {
  public Suspicion {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(observer, "observer");
  }
}
