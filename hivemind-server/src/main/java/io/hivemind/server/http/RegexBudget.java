package io.hivemind.server.http;

/**
 * How many characters the {@code matches} of one request's filter may read, over every element it
 * is tested against. Java's regular expressions backtrack, and a caller chooses both the pattern
 * and (through what it registers) the text: {@code (a+)+$} against a long run of {@code a}s takes
 * exponential time, on the HTTP event loop every request of the agent shares. Each character the
 * matcher reads is counted; past the budget the request fails with 400 instead of stalling the
 * loop.
 */
final class RegexBudget {

  /** About 10-50 ms of matching: far more than any sane filter over a large answer reads. */
  static final long DEFAULT_READS = 2_000_000;

  private long remaining = DEFAULT_READS;

  private RegexBudget() {}

  /** A request's budget: {@link #DEFAULT_READS} characters. */
  static RegexBudget standard() {
    return new RegexBudget();
  }

  /** {@code text} as the matcher reads it: every character read spends one of the budget. */
  CharSequence bound(String text) {
    return new Bounded(text, 0, text.length());
  }

  private void spend() {
    if (--remaining < 0) {
      throw ApiException.badRequest(
          "filter_too_expensive",
          "?filter's 'matches' read more than "
              + DEFAULT_READS
              + " characters: simplify the regular expression (nested repetition such as (a+)+"
              + " backtracks without end)");
    }
  }

  private final class Bounded implements CharSequence {
    private final String text;
    private final int start;
    private final int end;

    Bounded(String text, int start, int end) {
      this.text = text;
      this.start = start;
      this.end = end;
    }

    @Override
    public int length() {
      return end - start;
    }

    @Override
    public char charAt(int index) {
      spend();
      return text.charAt(start + index);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
      if (from < 0 || to > length() || from > to) {
        throw new IndexOutOfBoundsException("subSequence(" + from + ", " + to + ")");
      }
      return new Bounded(text, start + from, start + to);
    }

    @Override
    public String toString() {
      return text.substring(start, end);
    }
  }
}
