package io.hivemind.cli;

import io.hivemind.api.PartitionTableInfo;

/** {@code hivemind partitions} as text: the table's figures, then one row a member. */
final class PartitionText {

  private static final String NL = System.lineSeparator();

  private PartitionText() {}

  static String table(PartitionTableInfo table) {
    StringBuilder text =
        new StringBuilder()
            .append("Version:           ")
            .append(table.version())
            .append(NL)
            .append("Committed at:      index ")
            .append(table.index())
            .append(NL)
            .append("Partitions:        ")
            .append(table.partitionCount())
            .append(NL)
            .append("Backups:           ")
            .append(table.backups())
            .append(NL)
            .append("Under-replicated:  ")
            .append(table.underReplicated())
            .append(table.underReplicated() > 0 ? " (fewer hosts or zones than replicas)" : "")
            .append(NL)
            .append("Moves in flight:   ")
            .append(table.movesInFlight())
            .append(NL)
            .append("Draining:          ")
            .append(table.draining().isEmpty() ? "(none)" : String.join(", ", table.draining()))
            .append(NL);
    if (table.partition() != null) {
      text.append("Partition ")
          .append(table.partition().partition())
          .append(":       ")
          .append(
              table.partition().replicas().isEmpty()
                  ? "(no replica)"
                  : "owner "
                      + table.partition().replicas().get(0)
                      + (table.partition().replicas().size() > 1
                          ? ", backups "
                              + String.join(
                                  ", ",
                                  table
                                      .partition()
                                      .replicas()
                                      .subList(1, table.partition().replicas().size()))
                          : ""))
          .append(NL);
      for (PartitionTableInfo.MoveInfo move : table.partition().moves()) {
        text.append("  moving:          ")
            .append(move.source().isEmpty() ? "(fill)" : move.source())
            .append(" -> ")
            .append(move.destination())
            .append(" (copying; joins the replicas once caught up)")
            .append(NL);
      }
    }
    TextTable members = new TextTable("ID", "Host", "Zone", "Owned", "Backups");
    for (PartitionTableInfo.PartitionMemberInfo member : table.members()) {
      members.row(
          member.id(),
          member.host(),
          member.zone(),
          Integer.toString(member.owned()),
          Integer.toString(member.backups()));
    }
    return text.append("Members:").append(NL).append(members).toString();
  }
}
