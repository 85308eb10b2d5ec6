package io.hivemind.core.control;

import io.hivemind.core.partition.PartitionTable;
import java.util.Objects;

/**
 * The partition table the control plane committed last (issue 13), and the log index it was
 * committed at: every replica applies the same table at the same index.
 *
 * @param table the table; its version rose by one with each commit
 * @param index the log index of the entry that committed it
 */
public record CommittedPartitionTable(PartitionTable table, long index) {
  public CommittedPartitionTable {
    Objects.requireNonNull(table, "table");
    if (index < 1) {
      throw new IllegalArgumentException("a committed table has a log index: " + index);
    }
  }
}
