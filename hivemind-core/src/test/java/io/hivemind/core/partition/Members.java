package io.hivemind.core.partition;

import java.util.ArrayList;
import java.util.List;

/** Member sets for the partition tests. */
final class Members {

  private Members() {}

  /** {@code n} members, one per host, no zones. */
  static List<PartitionMember> onHosts(int n) {
    List<PartitionMember> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add(member(i, 1, 0));
    }
    return members;
  }

  /** {@code n} members, one per host, round-robin over {@code zones} zones. */
  static List<PartitionMember> inZones(int n, int zones) {
    List<PartitionMember> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add(member(i, 1, zones));
    }
    return members;
  }

  /** Member {@code i}: host {@code i / perHost}, zone {@code host % zones} (none if 0). */
  static PartitionMember member(int i, int perHost, int zones) {
    int host = i / perHost;
    String zone = zones == 0 ? "" : "z" + (host % zones);
    return new PartitionMember(String.format("m%03d", i), "h" + host, zone);
  }

  /** Every conflicting pair of replicas in a table, as text; empty when there is none. */
  static List<String> colocations(PartitionTable table) {
    FailureDomains rule = table.failureDomains();
    var byId = table.membersById();
    List<String> found = new ArrayList<>();
    for (int p = 0; p < table.partitionCount(); p++) {
      List<String> list = table.replicas().get(p);
      for (int i = 0; i < list.size(); i++) {
        for (int j = i + 1; j < list.size(); j++) {
          if (rule.conflict(byId.get(list.get(i)), byId.get(list.get(j)))) {
            found.add("partition " + p + ": " + list.get(i) + " and " + list.get(j));
          }
        }
      }
    }
    return found;
  }
}
