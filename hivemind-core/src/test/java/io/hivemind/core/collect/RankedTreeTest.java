package io.hivemind.core.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The ranked tree against {@link TreeSet}: random adds and removes, and after each step the list
 * view iterates, indexes and sizes as the TreeSet's elements in order. Published lists never change
 * afterwards.
 */
class RankedTreeTest {

  private static final long SEED = 12;

  /** Elements whose order looks at the key only, so an add can replace an equal element. */
  private record Item(int key, int version) {}

  private static final Comparator<Item> BY_KEY = Comparator.comparingInt(Item::key);

  @Test
  void randomUpdates_answerAsTreeSet_andPublishedListsNeverChange() {
    SplittableRandom random = new SplittableRandom(SEED);
    TreeSet<Item> expected = new TreeSet<>(BY_KEY);
    RankedTree<Item> root = null;
    List<List<Item>> published = new ArrayList<>();
    List<List<Item>> copies = new ArrayList<>();
    for (int step = 0; step < 5_000; step++) {
      Item item = new Item(random.nextInt(300), step);
      if (random.nextInt(3) == 0) {
        expected.remove(item);
        root = RankedTree.remove(root, item, BY_KEY);
      } else {
        expected.remove(item); // TreeSet.add keeps an equal element; the tree replaces it
        expected.add(item);
        root = RankedTree.add(root, item, BY_KEY);
      }
      List<Item> actual = RankedTree.asList(root);
      if (step % 100 == 0) {
        published.add(actual);
        copies.add(List.copyOf(expected));
      }
      assertSame(actual, expected, random);
      assertThat(RankedTree.height(root)).isLessThanOrEqualTo(balancedHeightBound(expected.size()));
    }
    for (int i = 0; i < published.size(); i++) {
      assertThat(published.get(i)).isEqualTo(copies.get(i));
    }
  }

  @Test
  void removeAbsent_returnsTheSameTree() {
    RankedTree<Item> root =
        RankedTree.add(RankedTree.add(null, new Item(1, 0), BY_KEY), new Item(3, 0), BY_KEY);

    assertThat(RankedTree.remove(root, new Item(2, 0), BY_KEY)).isSameAs(root);
    assertThat(RankedTree.remove(null, new Item(2, 0), BY_KEY)).isNull();
  }

  @Test
  void list_isReadOnlyAndRefusesRanksOutOfRange() {
    List<Item> list = RankedTree.asList(RankedTree.add(null, new Item(1, 0), BY_KEY));

    assertThatThrownBy(() -> list.add(new Item(2, 0)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> list.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(RankedTree.<Item>asList(null)).isEmpty();
  }

  private static void assertSame(
      List<Item> actual, TreeSet<Item> expected, SplittableRandom random) {
    List<Item> inOrder = List.copyOf(expected);
    assertThat(actual.size()).isEqualTo(inOrder.size());
    assertThat(actual.isEmpty()).isEqualTo(inOrder.isEmpty());
    assertThat(List.copyOf(actual)).isEqualTo(inOrder); // the iterator
    assertThat(actual).isEqualTo(inOrder);
    assertThat(actual.hashCode()).isEqualTo(inOrder.hashCode());
    for (int i = 0; i < 4 && !inOrder.isEmpty(); i++) {
      int rank = random.nextInt(inOrder.size());
      assertThat(actual.get(rank)).isEqualTo(inOrder.get(rank));
    }
  }

  /** AVL height is below 1.4405 log2(n + 2). */
  private static int balancedHeightBound(int size) {
    return (int) Math.ceil(1.4405 * Math.log(size + 2) / Math.log(2));
  }
}
