package io.hivemind.core.state;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunks of one incoming snapshot, kept aside until the last arrives: the copy it replaces
 * stays whole meanwhile (a backup whose resync breaks off must not be left holding half a partition
 * when it is promoted).
 */
final class SnapshotAssembly {

  private final String sender;
  private final long sequence;
  private int nextIndex;
  private final List<StateEntry> entries = new ArrayList<>();

  SnapshotAssembly(String sender, long sequence) {
    this.sender = sender;
    this.sequence = sequence;
  }

  /** Whether {@code chunk} from {@code from} is the next part of this snapshot. */
  boolean continuedBy(String from, StateMessage.SnapshotChunk chunk) {
    return sender.equals(from) && sequence == chunk.sequence() && nextIndex == chunk.index();
  }

  void add(StateMessage.SnapshotChunk chunk) {
    entries.addAll(chunk.entries());
    nextIndex++;
  }

  List<StateEntry> entries() {
    return entries;
  }
}
