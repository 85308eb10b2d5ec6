package io.hivemind.core.control;

import java.util.List;

/** What a {@link ControlCommand.KvTxn}'s operations answer, and what that answer weighs. */
public final class KvTxnResults {

  /** What an answered entry weighs beyond its key and value: its indexes, flags and framing. */
  private static final int ENTRY_OVERHEAD_BYTES = 64;

  private KvTxnResults() {}

  /**
   * The entry as a write or a check answers it: Consul leaves the value out (only {@code get} and
   * {@code get-tree} carry values), which also keeps a transaction's result small.
   */
  static KvEntry withoutValue(KvEntry entry) {
    return new KvEntry(
        entry.key(),
        new byte[0],
        entry.flags(),
        entry.createIndex(),
        entry.modifyIndex(),
        entry.lockIndex(),
        entry.session());
  }

  /** About the bytes {@code entries} take in an encoded result, never less. */
  public static long bytes(List<KvEntry> entries) {
    long bytes = 0;
    for (KvEntry entry : entries) {
      bytes += bytes(entry);
    }
    return bytes;
  }

  /** About the bytes {@code entry} takes in an encoded result, never less. */
  static long bytes(KvEntry entry) {
    return 3L * entry.key().length()
        + entry.valueLength()
        + entry.session().length()
        + ENTRY_OVERHEAD_BYTES;
  }
}
