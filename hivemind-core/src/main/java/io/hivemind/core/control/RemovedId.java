package io.hivemind.core.control;

import java.util.Objects;

/**
 * The id of a removed member and the index of its removal: kept (up to {@link
 * ControlState#MAX_REMOVED_IDS}, oldest dropped first) so the id is never admitted again.
 */
public record RemovedId(String id, long removedIndex) {
  public RemovedId {
    Objects.requireNonNull(id, "id");
  }
}
