package io.hivemind.core.control;

import io.hivemind.core.acl.AclTokens;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of the replicated control state at {@link #index}: what HTTP, DNS and the
 * catalogue read without locks. Published by the replica's owning thread after each apply.
 *
 * @param index the last applied log index (0 before anything was applied)
 * @param epoch the cluster epoch: advances with every admission and removal
 * @param cluster the cluster's name from the bootstrap entry, "" before it
 * @param environment the environment id from the bootstrap entry, "" before it
 * @param members the admitted members, sorted by name
 * @param kv the KV entries by key
 * @param events the most recent events, oldest first (older ones are purged; see {@link
 *     #firstRetainedEventIndex})
 * @param firstRetainedEventIndex the lowest index an event of {@link #events} may have; a reader
 *     asking for older ones missed some
 * @param external the persistent catalogue registrations (issue 11)
 * @param acl the ACL tokens (docs/acl.md); immutable, shared between views until a token changes
 * @param partitionTable the partition table committed last (issue 13), empty before the first
 * @param sessions the sessions and the lock delays their ends left (docs/sessions.md)
 */
public record ControlView(
    long index,
    long epoch,
    String cluster,
    String environment,
    List<ControlMember> members,
    NavigableMap<String, KvEntry> kv,
    List<ControlEvent> events,
    long firstRetainedEventIndex,
    ExternalCatalog external,
    AclTokens acl,
    Optional<CommittedPartitionTable> partitionTable,
    SessionTable sessions) {

  public ControlView {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(environment, "environment");
    members = List.copyOf(members);
    Objects.requireNonNull(kv, "kv"); // the state hands over an immutable map (SortedTreeMap)
    // The state's own event list is an immutable window (EventLog): shared, not copied, so a view
    // per apply costs O(1) however many events are retained.
    events = events instanceof EventLog.Window ? events : List.copyOf(events);
    Objects.requireNonNull(external, "external");
    Objects.requireNonNull(acl, "acl");
    Objects.requireNonNull(partitionTable, "partitionTable");
    Objects.requireNonNull(sessions, "sessions");
  }

  /** A view without sessions. */
  public ControlView(
      long index,
      long epoch,
      String cluster,
      String environment,
      List<ControlMember> members,
      NavigableMap<String, KvEntry> kv,
      List<ControlEvent> events,
      long firstRetainedEventIndex,
      ExternalCatalog external,
      AclTokens acl,
      Optional<CommittedPartitionTable> partitionTable) {
    this(
        index,
        epoch,
        cluster,
        environment,
        members,
        kv,
        events,
        firstRetainedEventIndex,
        external,
        acl,
        partitionTable,
        SessionTable.EMPTY);
  }

  /** Whether member {@code id} asked to leave the partition table (issue 13, graceful leave). */
  public boolean draining(String id) {
    return partitionTable.map(committed -> committed.draining(id)).orElse(false);
  }

  /**
   * Whether member {@code id} holds a replica in the committed partition table or is the
   * destination of a move in flight: a leaving member exits only once this is false.
   */
  public boolean holdsPartitions(String id) {
    return partitionTable.map(committed -> committed.holdsPartitions(id)).orElse(false);
  }

  /**
   * A view of the members, KV and events only: no persistent registrations, tokens or partition
   * table (a plane that has none, and tests).
   */
  public ControlView(
      long index,
      long epoch,
      String cluster,
      String environment,
      List<ControlMember> members,
      NavigableMap<String, KvEntry> kv,
      List<ControlEvent> events,
      long firstRetainedEventIndex) {
    this(
        index,
        epoch,
        cluster,
        environment,
        members,
        kv,
        events,
        firstRetainedEventIndex,
        ExternalCatalog.EMPTY,
        AclTokens.EMPTY,
        Optional.empty(),
        SessionTable.EMPTY);
  }
}
