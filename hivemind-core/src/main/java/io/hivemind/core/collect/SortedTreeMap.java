package io.hivemind.core.collect;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An unmodifiable {@link NavigableMap} over a {@link SortedTree} root, optionally limited to a key
 * range: what the control view's KV and the catalogue view's services hand readers. Creating one is
 * O(1) and it never changes, because the root never does. Lookups, navigation and range sizes take
 * O(log n); iteration O(log n) a step. The descending views are copies (O(n)): nothing in the agent
 * walks KV backwards. Ranges of {@code subMap}, {@code headMap} and {@code tailMap} are intersected
 * with this map's own, where TreeMap would throw for a bound outside it.
 *
 * <p>Immutable, so safe to share between threads once published.
 */
public final class SortedTreeMap<V> extends AbstractMap<String, V>
    implements NavigableMap<String, V> {

  private final SortedTree<V> root;
  private final String lo;
  private final boolean loInclusive;
  private final String hi;
  private final boolean hiInclusive;

  /** The whole tree as a map; O(1). */
  public SortedTreeMap(SortedTree<V> root) {
    this(root, null, true, null, true);
  }

  private SortedTreeMap(
      SortedTree<V> root, String lo, boolean loInclusive, String hi, boolean hiInclusive) {
    this.root = root;
    this.lo = lo;
    this.loInclusive = loInclusive;
    this.hi = hi;
    this.hiInclusive = hiInclusive;
  }

  /**
   * This map with {@code key} mapped to {@code value}, in O(log n); this map does not change. A key
   * outside this map's range is held but not seen, as if put into the whole map.
   */
  public SortedTreeMap<V> with(String key, V value) {
    return new SortedTreeMap<>(SortedTree.put(root, key, value), lo, loInclusive, hi, hiInclusive);
  }

  private boolean tooLow(String key) {
    if (lo == null) {
      return false;
    }
    int c = key.compareTo(lo);
    return c < 0 || (c == 0 && !loInclusive);
  }

  private boolean tooHigh(String key) {
    if (hi == null) {
      return false;
    }
    int c = key.compareTo(hi);
    return c > 0 || (c == 0 && !hiInclusive);
  }

  private SortedTree<V> lowest() {
    SortedTree<V> node =
        lo == null ? SortedTree.first(root) : SortedTree.ceiling(root, lo, loInclusive);
    return node == null || tooHigh(node.key) ? null : node;
  }

  private SortedTree<V> highest() {
    SortedTree<V> node =
        hi == null ? SortedTree.last(root) : SortedTree.floor(root, hi, hiInclusive);
    return node == null || tooLow(node.key) ? null : node;
  }

  /** The least node in range above {@code key} (or equal when {@code inclusive}). */
  private SortedTree<V> ceiling(String key, boolean inclusive) {
    if (tooLow(key)) {
      return lowest();
    }
    SortedTree<V> node = SortedTree.ceiling(root, key, inclusive);
    return node == null || tooHigh(node.key) ? null : node;
  }

  /** The greatest node in range below {@code key} (or equal when {@code inclusive}). */
  private SortedTree<V> floor(String key, boolean inclusive) {
    if (tooHigh(key)) {
      return highest();
    }
    SortedTree<V> node = SortedTree.floor(root, key, inclusive);
    return node == null || tooLow(node.key) ? null : node;
  }

  private static <V> Map.Entry<String, V> entry(SortedTree<V> node) {
    return node == null ? null : node.entry();
  }

  private static String key(SortedTree<?> node) {
    return node == null ? null : node.key;
  }

  @Override
  public int size() {
    int upTo = hi == null ? SortedTree.size(root) : SortedTree.countBelow(root, hi, hiInclusive);
    int below = lo == null ? 0 : SortedTree.countBelow(root, lo, !loInclusive);
    return Math.max(0, upTo - below);
  }

  @Override
  public boolean isEmpty() {
    return lowest() == null;
  }

  @Override
  public V get(Object key) {
    if (!(key instanceof String k) || tooLow(k) || tooHigh(k)) {
      return null;
    }
    SortedTree<V> node = SortedTree.find(root, k);
    return node == null ? null : node.value;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String k && !tooLow(k) && !tooHigh(k) && SortedTree.find(root, k) != null;
  }

  @Override
  public Set<Map.Entry<String, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, V>> iterator() {
        return new InOrder(lowest());
      }

      @Override
      public int size() {
        return SortedTreeMap.this.size();
      }
    };
  }

  /** Walks the range in key order, finding each successor from the root. */
  private final class InOrder implements Iterator<Map.Entry<String, V>> {
    private SortedTree<V> next;

    InOrder(SortedTree<V> first) {
      this.next = first;
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Map.Entry<String, V> next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      SortedTree<V> current = next;
      SortedTree<V> successor = SortedTree.ceiling(root, current.key, false);
      next = successor == null || tooHigh(successor.key) ? null : successor;
      return current.entry();
    }
  }

  @Override
  public Comparator<? super String> comparator() {
    return null; // natural order
  }

  @Override
  public String firstKey() {
    return present(lowest()).key;
  }

  @Override
  public String lastKey() {
    return present(highest()).key;
  }

  private static <V> SortedTree<V> present(SortedTree<V> node) {
    if (node == null) {
      throw new NoSuchElementException("empty map");
    }
    return node;
  }

  @Override
  public Map.Entry<String, V> firstEntry() {
    return entry(lowest());
  }

  @Override
  public Map.Entry<String, V> lastEntry() {
    return entry(highest());
  }

  @Override
  public Map.Entry<String, V> lowerEntry(String key) {
    return entry(floor(key, false));
  }

  @Override
  public String lowerKey(String key) {
    return key(floor(key, false));
  }

  @Override
  public Map.Entry<String, V> floorEntry(String key) {
    return entry(floor(key, true));
  }

  @Override
  public String floorKey(String key) {
    return key(floor(key, true));
  }

  @Override
  public Map.Entry<String, V> ceilingEntry(String key) {
    return entry(ceiling(key, true));
  }

  @Override
  public String ceilingKey(String key) {
    return key(ceiling(key, true));
  }

  @Override
  public Map.Entry<String, V> higherEntry(String key) {
    return entry(ceiling(key, false));
  }

  @Override
  public String higherKey(String key) {
    return key(ceiling(key, false));
  }

  @Override
  public Map.Entry<String, V> pollFirstEntry() {
    throw new UnsupportedOperationException("a published snapshot is read-only");
  }

  @Override
  public Map.Entry<String, V> pollLastEntry() {
    throw new UnsupportedOperationException("a published snapshot is read-only");
  }

  @Override
  public NavigableMap<String, V> descendingMap() {
    return Collections.unmodifiableNavigableMap(new TreeMap<>(this)).descendingMap();
  }

  @Override
  public NavigableSet<String> navigableKeySet() {
    return Collections.unmodifiableNavigableSet(new TreeSet<>(keySet()));
  }

  @Override
  public NavigableSet<String> descendingKeySet() {
    return navigableKeySet().descendingSet();
  }

  @Override
  public NavigableMap<String, V> subMap(
      String fromKey, boolean fromInclusive, String toKey, boolean toInclusive) {
    if (fromKey.compareTo(toKey) > 0) {
      throw new IllegalArgumentException("fromKey " + fromKey + " > toKey " + toKey);
    }
    return tailMap(fromKey, fromInclusive).headMap(toKey, toInclusive);
  }

  @Override
  public NavigableMap<String, V> headMap(String toKey, boolean inclusive) {
    int c = hi == null ? -1 : toKey.compareTo(hi);
    if (c > 0 || (c == 0 && hiInclusive == inclusive)) {
      return new SortedTreeMap<>(root, lo, loInclusive, hi, hiInclusive); // no tighter
    }
    return new SortedTreeMap<>(root, lo, loInclusive, toKey, c == 0 ? false : inclusive);
  }

  @Override
  public NavigableMap<String, V> tailMap(String fromKey, boolean inclusive) {
    int c = lo == null ? 1 : fromKey.compareTo(lo);
    if (c < 0 || (c == 0 && loInclusive == inclusive)) {
      return new SortedTreeMap<>(root, lo, loInclusive, hi, hiInclusive); // no tighter
    }
    return new SortedTreeMap<>(root, fromKey, c == 0 ? false : inclusive, hi, hiInclusive);
  }

  @Override
  public NavigableMap<String, V> subMap(String fromKey, String toKey) {
    return subMap(fromKey, true, toKey, false);
  }

  @Override
  public NavigableMap<String, V> headMap(String toKey) {
    return headMap(toKey, false);
  }

  @Override
  public NavigableMap<String, V> tailMap(String fromKey) {
    return tailMap(fromKey, true);
  }
}
