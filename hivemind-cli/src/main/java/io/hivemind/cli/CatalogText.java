package io.hivemind.cli;

import io.hivemind.api.ServiceEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue's answers as text for a person ({@code hivemind services}, {@code lookup}, {@code
 * watch}); {@code --json} prints the API's JSON through {@link ControlText#json} instead.
 */
final class CatalogText {

  private CatalogText() {}

  /** {@code hivemind services}: one row a service, with its tags. */
  static String services(Map<String, List<String>> services) {
    TextTable table = new TextTable("Service", "Tags");
    services.forEach((name, tags) -> table.row(name, String.join(",", tags)));
    return table.toString();
  }

  /** {@code hivemind lookup}: one row an instance. */
  static String instances(List<ServiceEntry> entries) {
    TextTable table = new TextTable("ID", "Address", "Port", "Node", "Health", "Tags");
    for (ServiceEntry entry : entries) {
      table.row(
          entry.service().id(),
          entry.effectiveAddress(),
          Integer.toString(entry.service().port()),
          entry.node().node(),
          entry.aggregatedStatus(),
          String.join(",", entry.service().tags()));
    }
    return table.toString();
  }

  /**
   * {@code hivemind watch}: what changed from {@code before} to {@code after}, one line an
   * instance: {@code + id address:port health} for a new one, {@code ~} for a changed one, {@code -
   * id} for one gone. Instances are told apart by node and id (two agents may use one id).
   */
  static List<String> changes(List<ServiceEntry> before, List<ServiceEntry> after) {
    Map<String, ServiceEntry> old = byKey(before);
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, ServiceEntry> now : byKey(after).entrySet()) {
      ServiceEntry was = old.remove(now.getKey());
      if (was == null) {
        lines.add("+ " + line(now.getValue()));
      } else if (!same(was, now.getValue())) {
        lines.add("~ " + line(now.getValue()));
      }
    }
    old.values()
        .forEach(gone -> lines.add("- " + gone.service().id() + " on " + gone.node().node()));
    return lines;
  }

  private static boolean same(ServiceEntry a, ServiceEntry b) {
    return a.service().modifyIndex() == b.service().modifyIndex()
        && a.effectiveAddress().equals(b.effectiveAddress())
        && a.aggregatedStatus().equals(b.aggregatedStatus());
  }

  private static String line(ServiceEntry entry) {
    return entry.service().id()
        + " "
        + entry.effectiveAddress()
        + ":"
        + entry.service().port()
        + " "
        + entry.aggregatedStatus()
        + " on "
        + entry.node().node()
        + (entry.service().tags().isEmpty()
            ? ""
            : " [" + String.join(",", entry.service().tags()) + "]");
  }

  private static Map<String, ServiceEntry> byKey(List<ServiceEntry> entries) {
    Map<String, ServiceEntry> keyed = new LinkedHashMap<>();
    for (ServiceEntry entry : entries) {
      keyed.put(entry.node().id() + '\0' + entry.service().id(), entry);
    }
    return keyed;
  }
}
