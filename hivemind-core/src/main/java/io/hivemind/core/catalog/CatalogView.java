package io.hivemind.core.catalog;

import io.hivemind.core.collect.SortedTreeMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * An immutable snapshot of a replica: what HTTP and DNS read, without locks, while the replica's
 * owning thread goes on. Services are keyed by their exact name; {@link #instancesIgnoringCase}
 * serves DNS, whose names fold case.
 *
 * <p>The replica publishes its maps as views over persistent trees, so a snapshot costs what
 * changed since the last one, not the catalogue's size.
 *
 * @param index the replica's index when this snapshot was taken: it never goes backwards
 * @param foldedNames case-folded service name → the service name that answers it (see {@link
 *     #instancesIgnoringCase})
 */
public record CatalogView(
    long index,
    NavigableMap<String, List<CatalogEntry>> services,
    Map<String, Long> serviceIndexes,
    int instanceCount,
    Map<String, String> foldedNames) {

  public static final CatalogView EMPTY =
      new CatalogView(0, new SortedTreeMap<>(null), Map.of(), 0, Map.of());

  /**
   * A snapshot of whole maps, its folded names found in one pass over the services (O(n)): for
   * views built by merging, which copy the services anyway.
   */
  public CatalogView(
      long index,
      NavigableMap<String, List<CatalogEntry>> services,
      Map<String, Long> serviceIndexes,
      int instanceCount) {
    this(index, services, serviceIndexes, instanceCount, FoldedNames.of(services.keySet()));
  }

  /** The service's instances, ordered by owner then id; empty when it has none. */
  public List<CatalogEntry> instances(String service) {
    return services.getOrDefault(service, List.of());
  }

  /**
   * The service's instances found by a case-insensitive name (DNS, RFC 4343), in O(log n). When
   * several names match, the exact one answers, else the least in String order.
   */
  public List<CatalogEntry> instancesIgnoringCase(String service) {
    List<CatalogEntry> exact = services.get(service);
    if (exact != null) {
      return exact;
    }
    String name = foldedNames.get(FoldedNames.fold(service));
    return name == null ? List.of() : instances(name);
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
