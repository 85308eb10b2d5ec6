package io.hivemind.core.control;

import java.util.List;
import java.util.Objects;

/**
 * A replica's full state at one index: the view, the removal rule's standing suspicions and the ids
 * of removed members (so a restored replica refuses the same ids). Encoded by {@link
 * WireControlCodec} for Ratis snapshots and for the follow feed's first message.
 *
 * @param removedIds oldest removal first
 */
public record ControlSnapshot(
    ControlView view, List<Suspicion> suspicions, List<RemovedId> removedIds) {
  public ControlSnapshot {
    Objects.requireNonNull(view, "view");
    suspicions = List.copyOf(suspicions);
    removedIds = List.copyOf(removedIds);
  }

  /** A snapshot that remembers no removed id. */
  public ControlSnapshot(ControlView view, List<Suspicion> suspicions) {
    this(view, suspicions, List.of());
  }
}
