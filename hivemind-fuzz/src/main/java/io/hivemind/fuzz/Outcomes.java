package io.hivemind.fuzz;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many inputs ended how: accepted, or rejected for which reason. Labels are short and stable (a
 * drop reason, an HTTP status and error code), so a run's figures read as a table. Not thread-safe.
 */
public final class Outcomes {

  private final Map<String, long[]> counts = new LinkedHashMap<>();
  private long inputs;

  /** Counts one input that ended as {@code label}. */
  public void count(String label) {
    counts.computeIfAbsent(label, k -> new long[1])[0]++;
    inputs++;
  }

  /** Inputs counted. */
  public long inputs() {
    return inputs;
  }

  /** Inputs counted under {@code label}. */
  public long of(String label) {
    long[] count = counts.get(label);
    return count == null ? 0 : count[0];
  }

  /** Inputs whose label starts with {@code prefix}. */
  public long withPrefix(String prefix) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> e.getValue()[0])
        .sum();
  }

  /** Every label with its count, most frequent first. */
  public List<Map.Entry<String, Long>> byCount() {
    return counts.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue()[0]))
        .sorted(
            Comparator.comparing(Map.Entry<String, Long>::getValue)
                .reversed()
                .thenComparing(Map.Entry::getKey))
        .toList();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(inputs + " inputs");
    for (Map.Entry<String, Long> entry : byCount()) {
      text.append("\n  ").append(entry.getValue()).append("  ").append(entry.getKey());
    }
    return text.toString();
  }
}
