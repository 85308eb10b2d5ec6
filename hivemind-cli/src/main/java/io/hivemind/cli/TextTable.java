package io.hivemind.cli;

import java.util.ArrayList;
import java.util.List;

/** Rows as an aligned table: columns padded to their width, two spaces apart, the last unpadded. */
final class TextTable {

  private final List<String[]> rows = new ArrayList<>();

  TextTable(String... header) {
    rows.add(header);
  }

  TextTable row(String... cells) {
    rows.add(cells);
    return this;
  }

  @Override
  public String toString() {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < columns - 1; i++) {
        text.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
      }
      text.append(row[columns - 1]).append(System.lineSeparator());
    }
    return text.toString();
  }
}
