package io.hivemind.core.control;

import java.util.List;
import java.util.Objects;

/** What applying one entry did: the same on every replica. */
public sealed interface ApplyResult {

  /** The log index of the entry. */
  long index();

  /**
   * The entry changed the state (or was a no-op that succeeded); {@code events} it appended; {@code
   * kv} what a {@link ControlCommand.KvTxn}'s operations answered, in their order (empty for every
   * other command).
   */
  record Applied(long index, long epoch, List<ControlEvent> events, List<KvEntry> kv)
      implements ApplyResult {
    public Applied {
      events = List.copyOf(events);
      kv = List.copyOf(kv);
    }

    public Applied(long index, long epoch, List<ControlEvent> events) {
      this(index, epoch, events, List.of());
    }
  }

  /** A {@link ControlCommand.Batch}'s results, one per command in its order. */
  record Batched(long index, List<ApplyResult> results) implements ApplyResult {
    public Batched {
      results = List.copyOf(results);
    }
  }

  /**
   * The entry was refused; nothing changed. {@code message} is one sentence for a person; {@code
   * operation} the position of a {@link ControlCommand.KvTxn}'s operation that failed, -1 for any
   * other refusal.
   */
  record Refused(long index, RefusalCode code, String message, int operation)
      implements ApplyResult {
    public Refused {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      if (operation < -1) {
        throw new IllegalArgumentException("operation " + operation);
      }
    }

    public Refused(long index, RefusalCode code, String message) {
      this(index, code, message, -1);
    }
  }
}
