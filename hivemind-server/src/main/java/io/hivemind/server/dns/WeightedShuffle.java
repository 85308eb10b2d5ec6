package io.hivemind.server.dns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/**
 * A random order in which heavier items tend to come first: weighted sampling without replacement
 * (Efraimidis and Spirakis, "Weighted random sampling with a reservoir", 2006). Each item gets the
 * key {@code -ln(u) / weight} for a uniform {@code u} in (0, 1], and the items are sorted by key:
 * the first item is item {@code i} with probability {@code w_i / Σw}, which is what a client that
 * takes the first A record (most do) needs for seed 000's load balancing.
 */
final class WeightedShuffle {

  private WeightedShuffle() {}

  /** {@code items} in a weighted random order; items of weight 0 or less are left out. */
  static <T> List<T> shuffle(List<T> items, ToIntFunction<T> weight, RandomGenerator random) {
    List<Keyed<T>> keyed = new ArrayList<>(items.size());
    for (T item : items) {
      int w = weight.applyAsInt(item);
      if (w > 0) {
        double u = 1.0 - random.nextDouble(); // (0, 1]: ln(0) would be -infinity
        keyed.add(new Keyed<>(item, -Math.log(u) / w));
      }
    }
    keyed.sort(Comparator.comparingDouble(Keyed::key));
    List<T> out = new ArrayList<>(keyed.size());
    for (Keyed<T> k : keyed) {
      out.add(k.item());
    }
    return out;
  }

  private record Keyed<T>(T item, double key) {}
}
