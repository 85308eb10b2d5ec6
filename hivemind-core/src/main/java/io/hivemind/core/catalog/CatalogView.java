package io.hivemind.core.catalog;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable snapshot of a replica: what HTTP and DNS read, without locks, while the replica's
 * owning thread goes on. Services are keyed by their exact name; {@link #instancesIgnoringCase}
 * serves DNS, whose names fold case.
 *
 * @param index the replica's index when this snapshot was taken: it never goes backwards
 */
public record CatalogView(
    long index,
    NavigableMap<String, List<CatalogEntry>> services,
    Map<String, Long> serviceIndexes,
    int instanceCount) {

  public static final CatalogView EMPTY =
      new CatalogView(0, Collections.unmodifiableNavigableMap(new TreeMap<>()), Map.of(), 0);

  /** The service's instances, ordered by owner then id; empty when it has none. */
  public List<CatalogEntry> instances(String service) {
    return services.getOrDefault(service, List.of());
  }

  /** The service's instances found by a case-insensitive name (DNS, RFC 4343). */
  public List<CatalogEntry> instancesIgnoringCase(String service) {
    List<CatalogEntry> exact = services.get(service);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, List<CatalogEntry>> entry : services.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(service)) {
        return entry.getValue();
      }
    }
    return List.of();
  }

  /**
   * The index at which the service last changed here (an instance added, changed or removed), or 0
   * when it never existed: what a blocking query on one service waits past.
   */
  public long serviceIndex(String service) {
    return serviceIndexes.getOrDefault(service, 0L);
  }

  public Set<String> serviceNames() {
    return services.keySet();
  }
}
