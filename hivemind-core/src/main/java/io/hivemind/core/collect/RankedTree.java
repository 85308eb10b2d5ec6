package io.hivemind.core.collect;

import java.util.Comparator;
import java.util.List;

/**
 * A persistent AVL tree of elements in a caller's order, with each subtree's size so the element at
 * a rank is found in O(log n): the catalogue replica keeps one per service and publishes it as a
 * {@link List} ({@link #asList}) in O(1), where copying the service's instances cost O(n) per
 * publish, ruinous for a service of 10,000 instances. An update returns a new root and shares every
 * node off its path; a published root never changes.
 *
 * <p>The same balancing as {@link SortedTree}; a tree of its own because its elements are their own
 * keys, ordered by a comparator rather than by String keys (a String key per catalogue instance
 * cost memory the replica had already cut).
 *
 * <p>Immutable; the empty tree is null. The comparator must be the same for every call on one tree.
 */
public final class RankedTree<E> {

  final E element;
  final RankedTree<E> left;
  final RankedTree<E> right;
  final int height;
  final int size;

  private RankedTree(E element, RankedTree<E> left, RankedTree<E> right) {
    this.element = element;
    this.left = left;
    this.right = right;
    this.height = 1 + Math.max(height(left), height(right));
    this.size = 1 + size(left) + size(right);
  }

  static int height(RankedTree<?> node) {
    return node == null ? 0 : node.height;
  }

  /** The number of elements in the tree rooted at {@code node}. */
  public static int size(RankedTree<?> node) {
    return node == null ? 0 : node.size;
  }

  /** The tree with {@code element}, replacing an element that compares equal to it. */
  public static <E> RankedTree<E> add(RankedTree<E> node, E element, Comparator<? super E> order) {
    if (node == null) {
      return new RankedTree<>(element, null, null);
    }
    int c = order.compare(element, node.element);
    if (c == 0) {
      return new RankedTree<>(element, node.left, node.right);
    }
    return c < 0
        ? balance(node.element, add(node.left, element, order), node.right)
        : balance(node.element, node.left, add(node.right, element, order));
  }

  /** The tree without the element comparing equal to {@code element} (the same tree if none). */
  public static <E> RankedTree<E> remove(
      RankedTree<E> node, E element, Comparator<? super E> order) {
    if (node == null) {
      return null;
    }
    int c = order.compare(element, node.element);
    if (c < 0) {
      RankedTree<E> left = remove(node.left, element, order);
      return left == node.left ? node : balance(node.element, left, node.right);
    }
    if (c > 0) {
      RankedTree<E> right = remove(node.right, element, order);
      return right == node.right ? node : balance(node.element, node.left, right);
    }
    if (node.left == null) {
      return node.right;
    }
    if (node.right == null) {
      return node.left;
    }
    RankedTree<E> min = node.right;
    while (min.left != null) {
      min = min.left;
    }
    return balance(min.element, node.left, removeMin(node.right));
  }

  private static <E> RankedTree<E> removeMin(RankedTree<E> node) {
    if (node.left == null) {
      return node.right;
    }
    return balance(node.element, removeMin(node.left), node.right);
  }

  /** The element at {@code rank} (0 is the least) in O(log n). */
  public static <E> E get(RankedTree<E> node, int rank) {
    if (rank < 0 || rank >= size(node)) {
      throw new IndexOutOfBoundsException("rank " + rank + " of " + size(node));
    }
    while (true) {
      int leftSize = size(node.left);
      if (rank == leftSize) {
        return node.element;
      }
      if (rank < leftSize) {
        node = node.left;
      } else {
        rank -= leftSize + 1;
        node = node.right;
      }
    }
  }

  /** The tree as an unmodifiable list in order; O(1) to create, never changes. */
  public static <E> List<E> asList(RankedTree<E> node) {
    return new RankedTreeList<>(node);
  }

  /** A node over two subtrees whose heights differ by at most 2, rotated back to AVL balance. */
  private static <E> RankedTree<E> balance(E element, RankedTree<E> left, RankedTree<E> right) {
    int diff = height(left) - height(right);
    if (diff > 1) {
      if (height(left.left) < height(left.right)) {
        left = rotateLeft(left.element, left.left, left.right);
      }
      return rotateRight(element, left, right);
    }
    if (diff < -1) {
      if (height(right.right) < height(right.left)) {
        right = rotateRight(right.element, right.left, right.right);
      }
      return rotateLeft(element, left, right);
    }
    return new RankedTree<>(element, left, right);
  }

  private static <E> RankedTree<E> rotateRight(E element, RankedTree<E> left, RankedTree<E> right) {
    return new RankedTree<>(left.element, left.left, new RankedTree<>(element, left.right, right));
  }

  private static <E> RankedTree<E> rotateLeft(E element, RankedTree<E> left, RankedTree<E> right) {
    return new RankedTree<>(
        right.element, new RankedTree<>(element, left, right.left), right.right);
  }
}
