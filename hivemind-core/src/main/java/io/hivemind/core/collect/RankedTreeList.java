package io.hivemind.core.collect;

import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An unmodifiable {@link java.util.List} over a {@link RankedTree} root: {@code get(i)} takes O(log
 * n), iteration O(1) a step (amortised; a stack of at most the tree's height). Not {@link
 * java.util.RandomAccess}, so {@code Collections.shuffle} and friends copy it first.
 *
 * <p>Immutable, so safe to share between threads once published.
 */
final class RankedTreeList<E> extends AbstractList<E> {

  private final RankedTree<E> root;

  RankedTreeList(RankedTree<E> root) {
    this.root = root;
  }

  @Override
  public E get(int index) {
    return RankedTree.get(root, index);
  }

  @Override
  public int size() {
    return RankedTree.size(root);
  }

  @Override
  public Iterator<E> iterator() {
    return new InOrder<>(root);
  }

  /** In-order walk keeping the path of left turns still to visit. */
  private static final class InOrder<E> implements Iterator<E> {
    private final Deque<RankedTree<E>> path = new ArrayDeque<>();

    InOrder(RankedTree<E> root) {
      descendLeft(root);
    }

    private void descendLeft(RankedTree<E> node) {
      for (; node != null; node = node.left) {
        path.push(node);
      }
    }

    @Override
    public boolean hasNext() {
      return !path.isEmpty();
    }

    @Override
    public E next() {
      if (path.isEmpty()) {
        throw new NoSuchElementException();
      }
      RankedTree<E> node = path.pop();
      descendLeft(node.right);
      return node.element;
    }
  }
}
