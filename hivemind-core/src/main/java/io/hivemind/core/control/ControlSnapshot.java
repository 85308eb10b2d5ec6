package io.hivemind.core.control;

import java.util.List;
import java.util.Objects;

/**
 * A replica's full state at one index: the view plus the removal rule's standing suspicions.
 * Encoded by {@link WireControlCodec} for Ratis snapshots and for the follow feed's first message.
 */
public record ControlSnapshot(ControlView view, List<Suspicion> suspicions) {
  public ControlSnapshot {
    Objects.requireNonNull(view, "view");
    suspicions = List.copyOf(suspicions);
  }
}
