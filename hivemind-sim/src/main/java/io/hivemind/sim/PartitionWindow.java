package io.hivemind.sim;

/**
 * When a scenario splits the cluster in two halves and for how long, after which it heals.
 *
 * @param atMillis virtual time of the split, from the start of the run
 * @param lengthMillis how long the halves cannot reach each other
 */
public record PartitionWindow(long atMillis, long lengthMillis) {

  public PartitionWindow {
    if (atMillis < 0 || lengthMillis <= 0) {
      throw new IllegalArgumentException(
          "a partition needs a start >= 0 and a positive length, got "
              + atMillis
              + " ms + "
              + lengthMillis
              + " ms");
    }
  }

  /**
   * Parses {@code START+LENGTH} with durations as {@link DurationText} reads them: {@code 60s+30s}
   * splits at 60 s for 30 s.
   *
   * @throws IllegalArgumentException with a sentence naming the text and the accepted form
   */
  public static PartitionWindow parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    int plus = trimmed.indexOf('+');
    if (plus <= 0 || plus == trimmed.length() - 1) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a partition: use START+LENGTH, like 60s+30s");
    }
    try {
      return new PartitionWindow(
          DurationText.parseMillis(trimmed.substring(0, plus)),
          DurationText.parseMillis(trimmed.substring(plus + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a partition (START+LENGTH, like 60s+30s): " + e.getMessage(), e);
    }
  }

  /** When the halves can reach each other again. */
  public long healAtMillis() {
    return atMillis + lengthMillis;
  }

  @Override
  public String toString() {
    return DurationText.format(atMillis) + "+" + DurationText.format(lengthMillis);
  }
}
