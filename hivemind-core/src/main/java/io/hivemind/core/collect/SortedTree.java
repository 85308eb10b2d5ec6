package io.hivemind.core.collect;

import java.util.AbstractMap;
import java.util.Map;

/**
 * A persistent AVL tree from String keys to values: an update returns a new root and shares every
 * node off its path, so a published root never changes (the KV store and the catalogue replica
 * publish one per view in O(1), where copying a map cost O(n) per write). AVL rather than a treap:
 * keys come from users, and a balance that no key choice can defeat keeps depth at most ~1.44
 * log2(n).
 *
 * <p>Immutable; the empty tree is null. Node sizes give range counts in O(log n). Users hold roots
 * and update them with the static methods; {@link SortedTreeMap} reads one as a map.
 */
public final class SortedTree<V> {

  final String key;
  final V value;
  final SortedTree<V> left;
  final SortedTree<V> right;
  final int height;
  final int size;

  private SortedTree(String key, V value, SortedTree<V> left, SortedTree<V> right) {
    this.key = key;
    this.value = value;
    this.left = left;
    this.right = right;
    this.height = 1 + Math.max(height(left), height(right));
    this.size = 1 + size(left) + size(right);
  }

  static int height(SortedTree<?> node) {
    return node == null ? 0 : node.height;
  }

  /** The number of keys in the tree rooted at {@code node}. */
  public static int size(SortedTree<?> node) {
    return node == null ? 0 : node.size;
  }

  Map.Entry<String, V> entry() {
    return new AbstractMap.SimpleImmutableEntry<>(key, value);
  }

  /** The value of {@code key}, or null when it is absent. */
  public static <V> V get(SortedTree<V> node, String key) {
    SortedTree<V> found = find(node, key);
    return found == null ? null : found.value;
  }

  static <V> SortedTree<V> find(SortedTree<V> node, String key) {
    while (node != null) {
      int c = key.compareTo(node.key);
      if (c == 0) {
        return node;
      }
      node = c < 0 ? node.left : node.right;
    }
    return null;
  }

  /** The tree with {@code key} mapped to {@code value}. */
  public static <V> SortedTree<V> put(SortedTree<V> node, String key, V value) {
    if (node == null) {
      return new SortedTree<>(key, value, null, null);
    }
    int c = key.compareTo(node.key);
    if (c == 0) {
      return new SortedTree<>(key, value, node.left, node.right);
    }
    return c < 0
        ? balance(node.key, node.value, put(node.left, key, value), node.right)
        : balance(node.key, node.value, node.left, put(node.right, key, value));
  }

  /** The tree without {@code key} (the same tree when it is absent). */
  public static <V> SortedTree<V> remove(SortedTree<V> node, String key) {
    if (node == null) {
      return null;
    }
    int c = key.compareTo(node.key);
    if (c < 0) {
      SortedTree<V> left = remove(node.left, key);
      return left == node.left ? node : balance(node.key, node.value, left, node.right);
    }
    if (c > 0) {
      SortedTree<V> right = remove(node.right, key);
      return right == node.right ? node : balance(node.key, node.value, node.left, right);
    }
    if (node.left == null) {
      return node.right;
    }
    if (node.right == null) {
      return node.left;
    }
    SortedTree<V> min = node.right;
    while (min.left != null) {
      min = min.left;
    }
    return balance(min.key, min.value, node.left, removeMin(node.right));
  }

  private static <V> SortedTree<V> removeMin(SortedTree<V> node) {
    if (node.left == null) {
      return node.right;
    }
    return balance(node.key, node.value, removeMin(node.left), node.right);
  }

  /** A node over two subtrees whose heights differ by at most 2, rotated back to AVL balance. */
  private static <V> SortedTree<V> balance(
      String key, V value, SortedTree<V> left, SortedTree<V> right) {
    int diff = height(left) - height(right);
    if (diff > 1) {
      if (height(left.left) < height(left.right)) {
        left = rotateLeft(left.key, left.value, left.left, left.right);
      }
      return rotateRight(key, value, left, right);
    }
    if (diff < -1) {
      if (height(right.right) < height(right.left)) {
        right = rotateRight(right.key, right.value, right.left, right.right);
      }
      return rotateLeft(key, value, left, right);
    }
    return new SortedTree<>(key, value, left, right);
  }

  private static <V> SortedTree<V> rotateRight(
      String key, V value, SortedTree<V> left, SortedTree<V> right) {
    return new SortedTree<>(
        left.key, left.value, left.left, new SortedTree<>(key, value, left.right, right));
  }

  private static <V> SortedTree<V> rotateLeft(
      String key, V value, SortedTree<V> left, SortedTree<V> right) {
    return new SortedTree<>(
        right.key, right.value, new SortedTree<>(key, value, left, right.left), right.right);
  }

  /** The number of keys below {@code key} (or at most {@code key} when {@code inclusive}). */
  static int countBelow(SortedTree<?> node, String key, boolean inclusive) {
    int count = 0;
    while (node != null) {
      int c = key.compareTo(node.key);
      if (c > 0 || (c == 0 && inclusive)) {
        count += size(node.left) + 1;
        node = node.right;
      } else {
        node = node.left;
      }
    }
    return count;
  }

  /** The node with the least key above {@code key} (or equal when {@code inclusive}), or null. */
  static <V> SortedTree<V> ceiling(SortedTree<V> node, String key, boolean inclusive) {
    SortedTree<V> best = null;
    while (node != null) {
      int c = key.compareTo(node.key);
      if (c < 0 || (c == 0 && inclusive)) {
        best = node;
        node = node.left;
      } else {
        node = node.right;
      }
    }
    return best;
  }

  /**
   * The node with the greatest key below {@code key} (or equal when {@code inclusive}), or null.
   */
  static <V> SortedTree<V> floor(SortedTree<V> node, String key, boolean inclusive) {
    SortedTree<V> best = null;
    while (node != null) {
      int c = key.compareTo(node.key);
      if (c > 0 || (c == 0 && inclusive)) {
        best = node;
        node = node.right;
      } else {
        node = node.left;
      }
    }
    return best;
  }

  static <V> SortedTree<V> first(SortedTree<V> node) {
    while (node != null && node.left != null) {
      node = node.left;
    }
    return node;
  }

  static <V> SortedTree<V> last(SortedTree<V> node) {
    while (node != null && node.right != null) {
      node = node.right;
    }
    return node;
  }
}
