package io.hivemind.server.catalog;

import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogReplica;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The agent's catalogue replica and the thread that owns it, as replication sees them: the seam
 * between the local catalogue (ledger, checks, snapshots, blocking queries) and the code that
 * carries changes between nodes.
 *
 * <p>Every method but {@link #executor()} must be called on that executor's thread.
 */
public interface ReplicaHost {

  /** The single thread that owns the replica (the agent's gossip loop). */
  ScheduledExecutorService executor();

  /** This agent's id: the owner of the instances registered here. */
  String ownerId();

  /** The replica; change it only on {@link #executor()}. */
  CatalogReplica replica();

  /**
   * Publishes a new snapshot after the replica changed, and wakes blocking queries it satisfies.
   */
  void replicaChanged();

  /**
   * Sets where this agent's own deltas go once drained from its ledger and applied locally
   * (replication sends them on to its peers). One sink; a later call replaces it.
   */
  void onOwnDelta(Consumer<CatalogDelta> sink);
}
