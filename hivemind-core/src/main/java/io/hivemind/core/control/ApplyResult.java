package io.hivemind.core.control;

import java.util.List;
import java.util.Objects;

/** What applying one entry did: the same on every replica. */
public sealed interface ApplyResult {

  /** The log index of the entry. */
  long index();

  /** The entry changed the state (or was a no-op that succeeded); {@code events} it appended. */
  record Applied(long index, long epoch, List<ControlEvent> events) implements ApplyResult {
    public Applied {
      events = List.copyOf(events);
    }
  }

  /** A {@link ControlCommand.Batch}'s results, one per command in its order. */
  record Batched(long index, List<ApplyResult> results) implements ApplyResult {
    public Batched {
      results = List.copyOf(results);
    }
  }

  /** The entry was refused; nothing changed. {@code message} is one sentence for a person. */
  record Refused(long index, RefusalCode code, String message) implements ApplyResult {
    public Refused {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }
}
