package io.hivemind.core.control;

/**
 * The control plane's replicated state machine: the cluster epoch, the registry of admitted
 * members, the event log, the KV store and the removal rule's standing suspicions. Entries in,
 * results and events out; the same on every replica that applies the same entries.
 *
 * <p>Not thread-safe: owned by the thread that applies committed entries (the Ratis state machine's
 * apply thread on a control node, the follow feed's thread on a plain agent). Readers use {@link
 * #view()}, an immutable snapshot.
 */
public final class ControlState {

  /** An empty state, before the bootstrap entry. */
  public static ControlState empty(RemovalPolicy policy) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The state a snapshot describes (with the removal rule's suspicions). */
  public static ControlState restore(ControlSnapshot snapshot, RemovalPolicy policy) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Applies the committed entry at {@code index} (must be above the last applied index; an entry at
   * or below it is ignored and answered as refused INVALID). Never throws for bad input: a command
   * that breaks a rule is refused, and nothing changes.
   */
  public ApplyResult apply(long index, ControlEntry entry) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Applies the entry's bytes: decodes them ({@link WireControlCodec}) and applies; bytes that do
   * not decode are refused INVALID at that index (deterministically on every replica).
   */
  public ApplyResult apply(long index, byte[] entryBytes) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The last applied index. */
  public long lastAppliedIndex() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The immutable view readers see; cheap to call repeatedly between applies. */
  public ControlView view() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Everything needed to restore this state elsewhere, at {@link #lastAppliedIndex()}. */
  public ControlSnapshot snapshot() {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
