package io.hivemind.core.control;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The persistent part of the service catalogue (issue 11: registrations made with {@code PUT
 * /v1/catalog/register} go through the control log and stay until deregistered), as of one control
 * view. Immutable.
 *
 * @param index the log index of the last change to it (0 when it never changed): what a blocking
 *     catalogue query combines with the ephemeral replica's index
 * @param nodes by node name
 */
public record ExternalCatalog(long index, NavigableMap<String, ExternalNodeEntry> nodes) {

  public static final ExternalCatalog EMPTY =
      new ExternalCatalog(0, Collections.unmodifiableNavigableMap(new TreeMap<>()));

  public ExternalCatalog {
    if (index < 0) {
      throw new IllegalArgumentException("index " + index + " is negative");
    }
    Objects.requireNonNull(nodes, "nodes"); // the store hands over an unmodifiable map
  }

  /** How many services all nodes hold. */
  public int serviceCount() {
    int count = 0;
    for (ExternalNodeEntry node : nodes.values()) {
      count += node.services().size();
    }
    return count;
  }
}
