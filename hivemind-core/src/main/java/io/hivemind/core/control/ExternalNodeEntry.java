package io.hivemind.core.control;

import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One persistent node with its services and checks, as the control state holds it.
 *
 * @param createIndex the index that registered the node
 * @param modifyIndex the index that last changed the node's own fields
 * @param services by service id
 * @param checks by check id
 */
public record ExternalNodeEntry(
    ExternalNode node,
    long createIndex,
    long modifyIndex,
    NavigableMap<String, ExternalEntry<ExternalService>> services,
    NavigableMap<String, ExternalEntry<ExternalCheck>> checks) {

  public ExternalNodeEntry {
    Objects.requireNonNull(node, "node");
    services = Collections.unmodifiableNavigableMap(new TreeMap<>(services));
    checks = Collections.unmodifiableNavigableMap(new TreeMap<>(checks));
  }

  /** The checks about the whole node (no service id), in check id order. */
  public List<ExternalCheck> nodeChecks() {
    return checksOf("");
  }

  /** The checks of {@code serviceId} ("" for the node's own), in check id order. */
  public List<ExternalCheck> checksOf(String serviceId) {
    return checks.values().stream()
        .map(ExternalEntry::value)
        .filter(check -> check.serviceId().equals(serviceId))
        .toList();
  }
}
