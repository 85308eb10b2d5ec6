package io.hivemind.core.catalog;

import io.hivemind.core.collect.SortedTreeMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
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
      new CatalogView(0, new SortedTreeMap<>(null), Map.of(), 0, new SortedTreeMap<>(null));

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

  /**
   * This snapshot with {@code extra} entries after each service's own, at {@code index} with {@code
   * serviceIndexes}: how the control log's persistent instances join the replica's. When this
   * view's maps are persistent trees' (the replica's are), it costs O(extra × log n) plus the sizes
   * of the services {@code extra} touches, not a copy of the catalogue per publish.
   */
  public CatalogView plus(
      long index, Map<String, Long> serviceIndexes, Collection<CatalogEntry> extra) {
    Map<String, List<CatalogEntry>> byService = new LinkedHashMap<>();
    extra.forEach(
        entry ->
            byService
                .computeIfAbsent(entry.instance().service(), name -> new ArrayList<>())
                .add(entry));
    int count = instanceCount + extra.size();
    if (services instanceof SortedTreeMap<List<CatalogEntry>> tree
        && foldedNames instanceof SortedTreeMap<String> folded) {
      for (Map.Entry<String, List<CatalogEntry>> added : byService.entrySet()) {
        String name = added.getKey();
        tree = tree.with(name, concat(tree.get(name), added.getValue()));
        String answer = folded.get(FoldedNames.fold(name));
        if (answer == null || name.compareTo(answer) < 0) {
          folded = folded.with(FoldedNames.fold(name), name);
        }
      }
      return new CatalogView(index, tree, serviceIndexes, count, folded);
    }
    NavigableMap<String, List<CatalogEntry>> copy = new TreeMap<>(services);
    byService.forEach((name, added) -> copy.put(name, concat(copy.get(name), added)));
    return new CatalogView(
        index, Collections.unmodifiableNavigableMap(copy), serviceIndexes, count);
  }

  private static List<CatalogEntry> concat(List<CatalogEntry> own, List<CatalogEntry> added) {
    if (own == null) {
      return List.copyOf(added);
    }
    List<CatalogEntry> both = new ArrayList<>(own.size() + added.size());
    both.addAll(own);
    both.addAll(added);
    return Collections.unmodifiableList(both);
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
