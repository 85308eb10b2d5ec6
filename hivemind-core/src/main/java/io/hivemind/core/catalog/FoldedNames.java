package io.hivemind.core.catalog;

import io.hivemind.core.collect.SortedTree;
import io.hivemind.core.collect.SortedTreeMap;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Service names by their case-folded form, so DNS (whose names fold case, RFC 4343) finds a service
 * in O(log n) instead of scanning every name per query. When several names fold alike ("Web",
 * "web"), the least in String order answers, as the first match of a scan in name order would.
 *
 * <p>The replica updates it per changed service and publishes {@link #map()} in O(1): a persistent
 * tree from folded name to the name that answers, beside the mutable sets of alike names it is
 * derived from. Not thread-safe: owned by the replica's thread.
 */
final class FoldedNames {

  private final Map<String, TreeSet<String>> alike = new HashMap<>();
  // Every name added and not removed: a busy service is re-added on every publish that changed it,
  // and this tells it apart from a new one without folding its name again (a fold walks the name
  // code point by code point; it took about 8 % of a control node's catalogue thread under
  // registrations, etcd-vs-registrations 2026-12-02).
  private final Set<String> present = new HashSet<>();
  private SortedTree<String> answers;

  /**
   * The name folded as {@link String#equalsIgnoreCase} compares: two names are equal ignoring case
   * exactly when their folds are equal.
   */
  static String fold(String name) {
    StringBuilder folded = new StringBuilder(name.length());
    name.codePoints()
        .forEach(c -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
    return folded.toString();
  }

  /** A folded-name map of {@code names} built in one pass: for views made from a whole map. */
  static Map<String, String> of(Collection<String> names) {
    Map<String, String> folded = new TreeMap<>();
    for (String name : names) {
      folded.merge(fold(name), name, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }
    return Collections.unmodifiableMap(folded);
  }

  void added(String name) {
    if (!present.add(name)) {
      return;
    }
    String folded = fold(name);
    TreeSet<String> names = alike.computeIfAbsent(folded, key -> new TreeSet<>());
    if (names.add(name)) {
      answers = SortedTree.put(answers, folded, names.first());
    }
  }

  void removed(String name) {
    if (!present.remove(name)) {
      return;
    }
    String folded = fold(name);
    TreeSet<String> names = alike.get(folded);
    if (names == null || !names.remove(name)) {
      return;
    }
    if (names.isEmpty()) {
      alike.remove(folded);
      answers = SortedTree.remove(answers, folded);
    } else {
      answers = SortedTree.put(answers, folded, names.first());
    }
  }

  /** Folded name → the service name that answers it, as of now; O(1), never changes after. */
  Map<String, String> map() {
    return new SortedTreeMap<>(answers);
  }
}
