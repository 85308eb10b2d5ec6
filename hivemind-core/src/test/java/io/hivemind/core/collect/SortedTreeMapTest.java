package io.hivemind.core.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The persistent tree against {@link TreeMap}: random puts and removes, and after each step every
 * navigation, range and size of the map and of random sub-ranges answer as TreeMap's do. Published
 * maps never change afterwards.
 */
class SortedTreeMapTest {

  private static final long SEED = 11;

  @Test
  void randomUpdates_answerAsTreeMap_andPublishedMapsNeverChange() {
    SplittableRandom random = new SplittableRandom(SEED);
    TreeMap<String, Integer> expected = new TreeMap<>();
    SortedTree<Integer> root = null;
    List<Map<String, Integer>> published = new ArrayList<>();
    List<TreeMap<String, Integer>> copies = new ArrayList<>();
    for (int step = 0; step < 3_000; step++) {
      String key = key(random);
      if (random.nextInt(3) == 0) {
        expected.remove(key);
        root = SortedTree.remove(root, key);
      } else {
        expected.put(key, step);
        root = SortedTree.put(root, key, step);
      }
      SortedTreeMap<Integer> actual = new SortedTreeMap<>(root);
      if (step % 100 == 0) {
        published.add(actual);
        copies.add(new TreeMap<>(expected));
      }
      assertSame(actual, expected, random);
      assertThat(SortedTree.height(root)).isLessThanOrEqualTo(balancedHeightBound(expected.size()));
    }
    for (int i = 0; i < published.size(); i++) {
      assertThat(published.get(i)).isEqualTo(copies.get(i));
    }
  }

  @Test
  void readOnly_andRejectsReversedRange() {
    NavigableMap<String, Integer> map =
        new SortedTreeMap<>(SortedTree.put(SortedTree.put(null, "a", 1), "b", 2));

    assertThatThrownBy(() -> map.put("c", 3)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(map::pollFirstEntry).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.firstEntry().setValue(5))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.subMap("b", "a")).isInstanceOf(IllegalArgumentException.class);
    assertThat(new SortedTreeMap<Integer>(null)).isEmpty();
  }

  /** AVL height is below 1.4405 log2(n + 2). */
  private static int balancedHeightBound(int size) {
    return (int) Math.ceil(1.4405 * Math.log(size + 2) / Math.log(2));
  }

  private static String key(SplittableRandom random) {
    // Short keys over few letters, so that ranges, prefixes and equal bounds meet existing keys.
    StringBuilder key = new StringBuilder();
    int length = 1 + random.nextInt(3);
    for (int i = 0; i < length; i++) {
      key.append((char) ('a' + random.nextInt(4)));
    }
    return key.toString();
  }

  private static void assertSame(
      NavigableMap<String, Integer> actual,
      NavigableMap<String, Integer> expected,
      SplittableRandom random) {
    assertNavigation(actual, expected, random);
    String from = key(random);
    String to = key(random);
    if (from.compareTo(to) > 0) {
      String swap = from;
      from = to;
      to = swap;
    }
    boolean fromInclusive = random.nextBoolean();
    boolean toInclusive = random.nextBoolean();
    assertNavigation(
        actual.subMap(from, fromInclusive, to, toInclusive),
        expected.subMap(from, fromInclusive, to, toInclusive),
        random);
    if (from.compareTo(to) < 0) { // TreeMap refuses a bound on the edge of an open range
      assertNavigation(
          actual.headMap(to, toInclusive).tailMap(from, fromInclusive),
          expected.headMap(to, toInclusive).tailMap(from, fromInclusive),
          random);
    }
    assertNavigation(actual.tailMap(from, true), expected.tailMap(from, true), random);
    assertNavigation(actual.headMap(to, false), expected.headMap(to, false), random);
  }

  private static void assertNavigation(
      NavigableMap<String, Integer> actual,
      NavigableMap<String, Integer> expected,
      SplittableRandom random) {
    assertThat(actual.size()).isEqualTo(expected.size());
    assertThat(actual.isEmpty()).isEqualTo(expected.isEmpty());
    assertThat(List.copyOf(actual.entrySet())).isEqualTo(List.copyOf(expected.entrySet()));
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.hashCode()).isEqualTo(expected.hashCode());
    assertThat(actual.firstEntry()).isEqualTo(expected.firstEntry());
    assertThat(actual.lastEntry()).isEqualTo(expected.lastEntry());
    assertThat(List.copyOf(actual.descendingMap().keySet()))
        .isEqualTo(List.copyOf(expected.descendingMap().keySet()));
    for (int i = 0; i < 4; i++) {
      String probe = key(random);
      assertThat(actual.get(probe)).isEqualTo(expected.get(probe));
      assertThat(actual.containsKey(probe)).isEqualTo(expected.containsKey(probe));
      assertThat(actual.lowerKey(probe)).isEqualTo(expected.lowerKey(probe));
      assertThat(actual.floorEntry(probe)).isEqualTo(expected.floorEntry(probe));
      assertThat(actual.ceilingEntry(probe)).isEqualTo(expected.ceilingEntry(probe));
      assertThat(actual.higherKey(probe)).isEqualTo(expected.higherKey(probe));
    }
  }
}
