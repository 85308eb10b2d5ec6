package io.hivemind.core.state;

import java.util.HashMap;
import java.util.Map;

/**
 * The backup and destination side of replication (docs/protocol/state.md, "Writes" rule 4 and
 * "Migration streaming"): applies an owner's Backups in sequence order, assembles its snapshots,
 * and answers each with an ack, a gap or a refusal.
 *
 * <p>Owned by the {@link StateNode}'s thread; the node decides who may send (the owner in its
 * table, or anyone when the message is of a newer table than it knows).
 */
final class CopyReceiver {

  /** Whether this node accepts copies of a partition from a sender at a table version. */
  interface Admission {
    boolean admits(String fromId, int partition, long tableVersion);

    /** The version of this node's table, for a refusal. */
    long version();
  }

  private final Map<Integer, PartitionStore> stores;
  private final Map<Integer, SnapshotAssembly> assemblies = new HashMap<>();
  private final StateOutput output;
  private final Admission admission;

  CopyReceiver(Map<Integer, PartitionStore> stores, StateOutput output, Admission admission) {
    this.stores = stores;
    this.output = output;
    this.admission = admission;
  }

  void onBackup(String from, StateMessage.Backup b) {
    int p = b.partition();
    if (!admission.admits(from, p, b.tableVersion())) {
      refuse(from, p);
      return;
    }
    PartitionStore store = stores.computeIfAbsent(p, x -> new PartitionStore());
    if (!store.admits(from, b.tableVersion())) {
      refuse(from, p);
      return;
    }
    long mine = store.sequence();
    if (b.sequence() == mine + 1) {
      store.apply(b.map(), b.key(), b.value(), b.sequence(), b.expiresAtMillis());
      output.send(from, new StateMessage.BackupAck(p, b.sequence()));
    } else if (b.sequence() <= mine) {
      // A duplicate (a resend, or a write the snapshot already held): it holds up to mine.
      output.send(from, new StateMessage.BackupAck(p, mine));
    } else {
      output.send(from, new StateMessage.BackupGap(p, mine));
    }
  }

  void onChunk(String from, StateMessage.SnapshotChunk c) {
    int p = c.partition();
    if (!admission.admits(from, p, c.tableVersion())) {
      refuse(from, p);
      return;
    }
    SnapshotAssembly assembly = assemblies.get(p);
    if (c.index() == 0) {
      assembly = new SnapshotAssembly(from, c.sequence());
      assemblies.put(p, assembly);
    } else if (assembly == null || !assembly.continuedBy(from, c)) {
      // A chunk of a snapshot whose start was lost: the owner re-sends it after its timeout.
      return;
    }
    assembly.add(c);
    if (!c.last()) {
      return;
    }
    assemblies.remove(p);
    PartitionStore store = stores.computeIfAbsent(p, x -> new PartitionStore());
    if (!store.admits(from, c.tableVersion())) {
      refuse(from, p);
      return;
    }
    store.replace(assembly.entries(), c.sequence());
    output.send(from, new StateMessage.SnapshotAck(p, c.sequence(), c.tableVersion()));
  }

  /** Forgets a partition's half-received snapshot (the node no longer holds the partition). */
  void forget(int partition) {
    assemblies.remove(partition);
  }

  private void refuse(String from, int p) {
    output.send(from, new StateMessage.BackupRefused(p, admission.version()));
  }
}
