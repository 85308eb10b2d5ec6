package io.hivemind.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Text inputs (HTTP heads, YAML files) made by mutating real ones, line- and token-aware: insert a
 * token of the format where it hurts (a CR or LF, a %-escape, a YAML anchor), delete, duplicate or
 * repeat a run (a huge value), splice lines of another corpus entry, change case, drop in bytes
 * that are not ASCII or not UTF-8. Works on bytes, so a mutant may be any bytes at all.
 */
public final class TextMutator {

  /** Bytes a text format rarely expects: NUL, DEL, a BOM, broken and overlong UTF-8, Latin-1. */
  private static final List<byte[]> ODD_BYTES =
      List.of(
          new byte[] {0},
          new byte[] {0x7F},
          new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
          new byte[] {(byte) 0xC3, 0x28},
          new byte[] {(byte) 0xC0, (byte) 0xAF},
          new byte[] {(byte) 0xFF},
          new byte[] {(byte) 0xE2, (byte) 0x80, (byte) 0xA8},
          "é".getBytes(StandardCharsets.UTF_8),
          "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8));

  private final List<byte[]> corpus;
  private final List<byte[]> tokens;
  private final int maxLength;

  /**
   * @param corpus valid inputs, the first the simplest
   * @param tokens the format's own troublemakers, inserted where a mutation lands
   * @param maxLength the longest input to make (a little over the target's limit)
   */
  public TextMutator(List<String> corpus, List<String> tokens, int maxLength) {
    if (corpus.isEmpty() || tokens.isEmpty()) {
      throw new IllegalArgumentException("a text mutator needs a corpus and tokens");
    }
    this.corpus = corpus.stream().map(TextMutator::bytes).toList();
    this.tokens = tokens.stream().map(TextMutator::bytes).toList();
    this.maxLength = maxLength;
  }

  /** One input: a corpus entry with zero or more mutations. */
  public byte[] next(Choices choices) {
    return mutate(choices.pick(corpus), choices);
  }

  /** {@code input} with zero or more mutations (a draw of 0 stops). */
  public byte[] mutate(byte[] input, Choices choices) {
    byte[] output = input;
    for (int round = 0; round < 8 && choices.below(3) != 0; round++) {
      output = mutateOnce(output, choices);
    }
    return output.length > maxLength ? ByteMutator.slice(output, 0, maxLength) : output;
  }

  private byte[] mutateOnce(byte[] input, Choices choices) {
    int at = choices.below(input.length + 1);
    return switch (choices.below(12)) {
      case 0, 1, 2 -> ByteMutator.insert(input, at, choices.pick(tokens));
      case 3 -> replaceRun(input, at, choices.pick(tokens), choices);
      case 4 -> ByteMutator.insert(input, at, choices.pick(ODD_BYTES));
      case 5 -> deleteRun(input, at, choices);
      case 6 -> repeatRun(input, at, choices);
      case 7 -> spliceLines(input, choices.pick(corpus), choices);
      case 8 -> dropLine(input, choices);
      case 9 -> ByteMutator.slice(input, 0, at);
      case 10 -> changeCase(input, at, choices);
      default -> flipByte(input, choices);
    };
  }

  private static byte[] replaceRun(byte[] input, int at, byte[] token, Choices choices) {
    int length = Math.min(input.length - at, choices.between(1, 8));
    return ByteMutator.replace(input, at, at + length, token);
  }

  private static byte[] deleteRun(byte[] input, int at, Choices choices) {
    int length = Math.min(input.length - at, choices.between(1, 16));
    return ByteMutator.replace(input, at, at + length, new byte[0]);
  }

  /** Repeats a run: up to a huge value, or just past a line or header limit. */
  private byte[] repeatRun(byte[] input, int at, Choices choices) {
    int length = Math.max(1, Math.min(input.length - at, choices.between(1, 8)));
    byte[] run =
        at + length <= input.length
            ? ByteMutator.slice(input, at, at + length)
            : "x".getBytes(StandardCharsets.US_ASCII);
    int times = choices.pick(2, 16, 300, 1_100, 5_000, 70_000);
    times = Math.min(times, Math.max(0, maxLength - input.length) / run.length);
    byte[] repeated = new byte[run.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(run, 0, repeated, i * run.length, run.length);
    }
    return ByteMutator.insert(input, at, repeated);
  }

  /** Lines of {@code other} put between lines of {@code input}. */
  private static byte[] spliceLines(byte[] input, byte[] other, Choices choices) {
    List<Integer> starts = lineStarts(other);
    int first = choices.below(starts.size());
    int last = first + choices.between(1, 3);
    int to = last < starts.size() ? starts.get(last) : other.length;
    byte[] lines = ByteMutator.slice(other, starts.get(first), to);
    return ByteMutator.insert(input, choices.pick(lineStarts(input)), lines);
  }

  private static byte[] dropLine(byte[] input, Choices choices) {
    List<Integer> starts = lineStarts(input);
    int index = choices.below(starts.size());
    int end = index + 1 < starts.size() ? starts.get(index + 1) : input.length;
    return ByteMutator.replace(input, starts.get(index), end, new byte[0]);
  }

  private static byte[] changeCase(byte[] input, int at, Choices choices) {
    byte[] output = input.clone();
    boolean upper = choices.oneIn(2);
    for (int i = at; i < Math.min(output.length, at + choices.between(1, 16)); i++) {
      char c = (char) output[i];
      if (Character.isLetter(c) && c < 0x80) {
        output[i] = (byte) (upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      }
    }
    return output;
  }

  private static byte[] flipByte(byte[] input, Choices choices) {
    if (input.length == 0) {
      return input;
    }
    byte[] output = input.clone();
    output[choices.below(output.length)] ^= (byte) (1 << choices.below(8));
    return output;
  }

  /** Where each line starts (after an LF), the start of the input first. */
  private static List<Integer> lineStarts(byte[] input) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < input.length; i++) {
      if (input[i] == '\n' && i + 1 < input.length) {
        starts.add(i + 1);
      }
    }
    return starts;
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
