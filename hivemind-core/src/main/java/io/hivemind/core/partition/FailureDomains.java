package io.hivemind.core.partition;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The anti-affinity rule for one member set: two replicas of a partition may not share a host, nor
 * a zone when zones are on. Zones are on only when every member has one: a member without a zone
 * could sit in any of them, so a half-zoned cluster (a rolling restart that adds zones) stays
 * host-aware rather than trusting a partial map.
 *
 * @param zoneAware whether every member has a zone
 * @param count how many failure domains there are (distinct zones when zone-aware, distinct hosts
 *     otherwise): a partition can have at most this many replicas
 */
public record FailureDomains(boolean zoneAware, int count) {

  /** The rule for these members. */
  public static FailureDomains of(Collection<PartitionMember> members) {
    boolean zoneAware = !members.isEmpty() && members.stream().allMatch(PartitionMember::hasZone);
    Set<String> domains = new HashSet<>();
    for (PartitionMember member : members) {
      domains.add(zoneAware ? member.zone() : member.host());
    }
    return new FailureDomains(zoneAware, domains.size());
  }

  /** Whether two members may not both hold a replica of one partition. */
  public boolean conflict(PartitionMember a, PartitionMember b) {
    return a.id().equals(b.id())
        || a.host().equals(b.host())
        || (zoneAware && a.zone().equals(b.zone()));
  }

  /** The domain a member counts in. */
  public String domainOf(PartitionMember member) {
    return zoneAware ? member.zone() : member.host();
  }

  /** How many replicas each partition gets: B + 1, or fewer when domains are short. */
  public int replicasPerPartition(int backupCount) {
    return Math.min(backupCount + 1, count);
  }
}
