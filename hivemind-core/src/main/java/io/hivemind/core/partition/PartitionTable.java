package io.hivemind.core.partition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One version of the partition table: for each partition its replicas, the owner first and then the
 * backups in promotion order (the first backup becomes owner when the owner goes).
 *
 * <p>Invariants checked on construction: members sorted by id and unique; every replica is a member
 * and appears once per partition; no partition holds more than B + 1 replicas. Anti-affinity is the
 * assigner's job and the tests' to check, not a construction rule: a migration in flight may
 * briefly hold a table the rule would not choose.
 *
 * @param version the table's version; each committed table has a higher one
 * @param partitionCount P, fixed for a cluster's life (ADR 0006)
 * @param backupCount B, backups per partition wanted
 * @param members the members the table was made for, sorted by id
 * @param replicas for each partition, its replicas' ids, owner first
 */
public record PartitionTable(
    long version,
    int partitionCount,
    int backupCount,
    List<PartitionMember> members,
    List<List<String>> replicas) {

  /** Most partitions a table may have: keeps a table a few hundred kilobytes at most. */
  public static final int MAX_PARTITIONS = 1 << 16;

  /**
   * The partition count a cluster gets unless configured (ADR 0006): the smallest power of two that
   * balances owners and all replicas to within 1.05 of the mean at 1,000 members (1.038 and 1.007;
   * within 1.002 at 100 or fewer), for a table of about 64 KiB at one backup.
   */
  public static final int DEFAULT_PARTITION_COUNT = 16384;

  /** Most backups a partition may have (Hazelcast's limit too). */
  public static final int MAX_BACKUPS = 6;

  public PartitionTable {
    requireCounts(partitionCount, backupCount);
    members = List.copyOf(members);
    replicas = sharedReplicas(replicas, members);
    if (replicas.size() != partitionCount) {
      throw new IllegalArgumentException(
          "expected " + partitionCount + " partitions, got " + replicas.size());
    }
    Set<String> ids = memberIds(members);
    for (int p = 0; p < partitionCount; p++) {
      requireReplicas(p, replicas.get(p), ids, backupCount);
    }
  }

  /** A table with no members and no replicas: what the first table is planned from. */
  public static PartitionTable empty(int partitionCount, int backupCount) {
    requireCounts(partitionCount, backupCount);
    List<List<String>> none = new ArrayList<>(partitionCount);
    for (int p = 0; p < partitionCount; p++) {
      none.add(List.of());
    }
    return new PartitionTable(0, partitionCount, backupCount, List.of(), none);
  }

  /** The owner of a partition, empty when it has no replica. */
  public Optional<String> owner(int partition) {
    List<String> list = replicas.get(partition);
    return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
  }

  /**
   * This table after members vanished without a migration (crashed): their replicas are gone, and
   * where one owned a partition the first surviving backup now does. The version stays: this is the
   * state the cluster serves until the next committed table, not a new table.
   */
  public PartitionTable withoutMembers(Collection<String> ids) {
    Set<String> gone = new HashSet<>(ids);
    List<PartitionMember> left = new ArrayList<>();
    for (PartitionMember member : members) {
      if (!gone.contains(member.id())) {
        left.add(member);
      }
    }
    List<List<String>> kept = new ArrayList<>(partitionCount);
    for (List<String> list : replicas) {
      kept.add(list.stream().filter(id -> !gone.contains(id)).toList());
    }
    return new PartitionTable(version, partitionCount, backupCount, left, kept);
  }

  /** Members by id. */
  public Map<String, PartitionMember> membersById() {
    Map<String, PartitionMember> byId = new HashMap<>();
    for (PartitionMember member : members) {
      byId.put(member.id(), member);
    }
    return byId;
  }

  /** The anti-affinity rule of this table's members. */
  public FailureDomains failureDomains() {
    return FailureDomains.of(members);
  }

  static void requireCounts(int partitionCount, int backupCount) {
    if (partitionCount < 1 || partitionCount > MAX_PARTITIONS) {
      throw new IllegalArgumentException(
          "partition count must be 1 to " + MAX_PARTITIONS + ": " + partitionCount);
    }
    if (backupCount < 0 || backupCount > MAX_BACKUPS) {
      throw new IllegalArgumentException(
          "backup count must be 0 to " + MAX_BACKUPS + ": " + backupCount);
    }
  }

  /**
   * An immutable copy in which equal replica lists are one object and every id is its member's own
   * string. A decoded table otherwise held 16,384 lists of freshly decoded 36-character ids, 2-3 MB
   * that every agent keeps for each table it holds and receives several times a second while
   * partitions migrate; with B backups over N members there are at most N·(N-1)·… distinct lists,
   * so the table is about its 64 KB of references.
   */
  private static List<List<String>> sharedReplicas(
      List<List<String>> replicas, List<PartitionMember> members) {
    Map<String, String> ids = new HashMap<>();
    for (PartitionMember member : members) {
      ids.put(member.id(), member.id());
    }
    Map<List<String>, List<String>> distinct = new HashMap<>();
    List<List<String>> copy = new ArrayList<>(replicas.size());
    for (List<String> list : replicas) {
      List<String> canonical = new ArrayList<>(list.size());
      for (String id : list) {
        canonical.add(ids.getOrDefault(id, id)); // an unknown id is refused just after
      }
      copy.add(distinct.computeIfAbsent(List.copyOf(canonical), same -> same));
    }
    return List.copyOf(copy);
  }

  private static Set<String> memberIds(List<PartitionMember> members) {
    Set<String> ids = new HashSet<>();
    PartitionMember previous = null;
    for (PartitionMember member : members) {
      if (previous != null && BY_ID.compare(previous, member) >= 0) {
        throw new IllegalArgumentException(
            "members must be sorted by id and unique: " + previous.id() + ", " + member.id());
      }
      ids.add(member.id());
      previous = member;
    }
    return ids;
  }

  private static void requireReplicas(int p, List<String> list, Set<String> ids, int backups) {
    if (list.size() > backups + 1) {
      throw new IllegalArgumentException(
          "partition " + p + " has " + list.size() + " replicas, more than " + (backups + 1));
    }
    // A list holds at most backups + 1 ids (checked above): a scan of the ones before beats a set
    // made for each of 16,384 partitions in every table every replica applies.
    for (int i = 0; i < list.size(); i++) {
      String id = list.get(i);
      if (!ids.contains(id) || list.subList(0, i).contains(id)) {
        throw new IllegalArgumentException(
            "partition " + p + ": replica " + id + " is not a member or appears twice");
      }
    }
  }

  /** The order members are kept in, which makes a table independent of the input's order. */
  static final Comparator<PartitionMember> BY_ID = Comparator.comparing(PartitionMember::id);
}
