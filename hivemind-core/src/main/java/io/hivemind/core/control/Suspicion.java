package io.hivemind.core.control;

import java.util.Objects;

/**
 * An observer's standing suspicion of a subject, as the removal rule keeps it (and as snapshots
 * carry it, so a replica restored from a snapshot decides as one that applied every entry).
 *
 * <p>An entry whose {@code observer} is the {@code subject} itself is not a suspicion but the
 * subject's latest <em>refutation</em> ({@link #refutation}): the incarnation below which reports
 * about it are stale. The rule must remember it after every suspicion is cleared (a late SUSPECT at
 * the refuted incarnation is ignored), so snapshots carry it too; a member never observes itself,
 * so the encoding cannot collide with a real suspicion and keeps the record's wire shape.
 */
public record Suspicion(
    String subject, String observer, long incarnation, long sinceMillis, int localHealth) {
  public Suspicion {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(observer, "observer");
  }

  /** The subject proved itself alive at {@code incarnation} (reports below it are stale). */
  public static Suspicion refutation(String subject, long incarnation, long atMillis) {
    return new Suspicion(subject, subject, incarnation, atMillis, 0);
  }

  /** Whether this entry is a refutation marker rather than an observer's suspicion. */
  public boolean isRefutation() {
    return subject.equals(observer);
  }
}
