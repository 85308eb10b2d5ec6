package io.hivemind.cli;

import io.hivemind.api.AgentMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Members as an aligned table for a person: one header line, one line a member. */
final class MembersText {

  private static final String[] HEADER = {
    "Node", "Address", "Status", "Roles", "Zone", "Incarnation"
  };

  private MembersText() {}

  static String table(List<AgentMember> members) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (AgentMember member : members) {
      rows.add(row(member));
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      line(text, row, widths);
    }
    return text.toString();
  }

  private static String[] row(AgentMember member) {
    return new String[] {
      member.name(),
      address(member.addr(), member.port()),
      member.state() == null ? "?" : member.state().name().toLowerCase(Locale.ROOT),
      member.roles().isEmpty() ? "-" : String.join(",", member.roles()),
      member.zone().isEmpty() ? "-" : member.zone(),
      Long.toString(member.incarnation())
    };
  }

  private static String address(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** Columns padded to their width and two spaces apart; the last one unpadded. */
  private static void line(StringBuilder text, String[] row, int[] widths) {
    for (int i = 0; i < row.length - 1; i++) {
      text.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
    }
    text.append(row[row.length - 1]).append(System.lineSeparator());
  }
}
