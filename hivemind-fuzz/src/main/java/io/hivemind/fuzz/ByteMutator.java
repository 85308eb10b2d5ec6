package io.hivemind.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Binary inputs made by mutating real ones: what a coverage-guided fuzzer's mutation stage does,
 * without the coverage feedback. The corpus holds valid inputs (packets and frames captured from a
 * real exchange), so most mutants get past the outer checks and reach the code behind them; random
 * bytes alone would die at the first length check.
 *
 * <p>Mutations: bit flips, interesting bytes (0, 0x7F, 0x80, 0xFF), truncation, deleting,
 * duplicating or inserting a run, splicing with another corpus entry, and, found from the protobuf
 * wire format ({@link ProtobufFields}), corrupting a length prefix or a varint to a boundary value,
 * repeating a field, or blowing the input up past a size limit. Now and then an input is random
 * bytes from the start.
 */
public final class ByteMutator {

  private static final byte[] INTERESTING = {0, 1, 0x7F, (byte) 0x80, (byte) 0xFF, (byte) 0xFE};

  /** Boundary values for lengths and numbers; -1 encodes as the 10-byte varint. */
  private static final long[] BOUNDARIES = {
    0,
    1,
    2,
    127,
    128,
    255,
    256,
    16_383,
    16_384,
    65_535,
    65_536,
    Integer.MAX_VALUE,
    0xFFFF_FFFFL,
    1L << 32,
    Long.MAX_VALUE,
    -1
  };

  private final List<byte[]> corpus;
  private final int maxLength;

  /**
   * @param corpus valid inputs to start from; the first is the one shrinking goes back to
   * @param maxLength the longest input to make: a little over the target's own limit, so that the
   *     limit itself gets tested
   */
  public ByteMutator(List<byte[]> corpus, int maxLength) {
    if (corpus.isEmpty()) {
      throw new IllegalArgumentException("the corpus is empty: mutations need a start");
    }
    this.corpus = List.copyOf(corpus);
    this.maxLength = maxLength;
  }

  /** One input: a corpus entry with zero or more mutations, or (rarely) random bytes. */
  public byte[] next(Choices choices) {
    if (choices.oneIn(40)) {
      return choices.bytes(choices.below(Math.min(maxLength, 2048) + 1));
    }
    byte[] input = choices.pick(corpus);
    for (int round = 0; round < 8 && choices.below(4) != 0; round++) {
      input = mutate(input, choices);
    }
    if (choices.oneIn(32) && input.length > 0) {
      input = blowUp(input, choices);
    }
    return input.length > maxLength ? slice(input, 0, maxLength) : input;
  }

  /** One mutation of {@code input}. */
  byte[] mutate(byte[] input, Choices choices) {
    if (input.length == 0) {
      return choices.bytes(choices.between(1, 16));
    }
    return switch (choices.below(15)) {
      case 0 -> flipBit(input, choices);
      case 1 -> setByte(input, choices);
      case 2 -> slice(input, 0, choices.below(input.length + 1));
      case 3 -> deleteRun(input, choices);
      case 4 -> duplicateRun(input, choices);
      case 5 ->
          insert(input, choices.below(input.length + 1), choices.bytes(choices.between(1, 32)));
      case 6 -> splice(input, choices.pick(corpus), choices);
      case 7, 8 -> corruptField(input, choices, true);
      case 9 -> corruptField(input, choices, false);
      case 10 -> repeatField(input, choices);
      case 11, 12 -> flipBit(input, choices);
      default -> setByte(input, choices);
    };
  }

  private static byte[] flipBit(byte[] input, Choices choices) {
    byte[] output = input.clone();
    output[choices.below(input.length)] ^= (byte) (1 << choices.below(8));
    return output;
  }

  private static byte[] setByte(byte[] input, Choices choices) {
    byte[] output = input.clone();
    output[choices.below(input.length)] = INTERESTING[choices.below(INTERESTING.length)];
    return output;
  }

  private static byte[] deleteRun(byte[] input, Choices choices) {
    int from = choices.below(input.length);
    int length = choices.between(1, Math.min(64, input.length - from));
    return concat(slice(input, 0, from), slice(input, from + length, input.length));
  }

  private static byte[] duplicateRun(byte[] input, Choices choices) {
    int from = choices.below(input.length);
    int length = choices.between(1, Math.min(64, input.length - from));
    byte[] run = slice(input, from, from + length);
    return insert(input, choices.below(input.length + 1), run);
  }

  /** The head of {@code input} and the tail of {@code other}: a frankenstein of two valid ones. */
  private static byte[] splice(byte[] input, byte[] other, Choices choices) {
    int cut = choices.below(input.length + 1);
    int from = choices.below(other.length + 1);
    return concat(slice(input, 0, cut), slice(other, from, other.length));
  }

  /**
   * Sets a length prefix (or another varint) to a boundary value, or to one off its true value: the
   * decoder must bound it before it allocates or reads that far.
   */
  private static byte[] corruptField(byte[] input, Choices choices, boolean lengths) {
    List<ProtobufFields.Field> fields =
        ProtobufFields.of(input).stream().filter(f -> f.lengthDelimited() == lengths).toList();
    if (fields.isEmpty()) {
      return flipBit(input, choices);
    }
    ProtobufFields.Field field = choices.pick(fields);
    long current = ProtobufFields.varint(input, field.valueStart(), field.valueEnd());
    long value =
        switch (choices.below(4)) {
          case 0 -> current + 1;
          case 1 -> current - 1;
          case 2 -> (long) input.length;
          default -> BOUNDARIES[choices.below(BOUNDARIES.length)];
        };
    return replace(input, field.valueStart(), field.valueEnd(), ProtobufFields.encodeVarint(value));
  }

  /** Repeats a whole field many times: too many messages, too many members, a huge string. */
  private byte[] repeatField(byte[] input, Choices choices) {
    List<ProtobufFields.Field> fields = ProtobufFields.of(input);
    if (fields.isEmpty()) {
      return duplicateRun(input, choices);
    }
    ProtobufFields.Field field = choices.pick(fields);
    byte[] copy = slice(input, field.start(), field.end());
    int times = choices.pick(1, 2, 16, 255, 256, 1_000);
    times = Math.max(0, Math.min(times, (maxLength - input.length) / Math.max(1, copy.length)));
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    output.write(input, 0, field.end());
    for (int i = 0; i < times; i++) {
      output.write(copy, 0, copy.length);
    }
    output.write(input, field.end(), input.length - field.end());
    return output.toByteArray();
  }

  /** Repeats the tail until the input is about the size limit: just under, at or over it. */
  private byte[] blowUp(byte[] input, Choices choices) {
    byte[] output = new byte[Math.max(maxLength - choices.below(64), input.length)];
    for (int filled = 0; filled < output.length; filled += input.length) {
      System.arraycopy(input, 0, output, filled, Math.min(input.length, output.length - filled));
    }
    return output;
  }

  static byte[] slice(byte[] bytes, int from, int to) {
    byte[] slice = new byte[to - from];
    System.arraycopy(bytes, from, slice, 0, slice.length);
    return slice;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = new byte[a.length + b.length];
    System.arraycopy(a, 0, joined, 0, a.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  static byte[] insert(byte[] bytes, int at, byte[] inserted) {
    return replace(bytes, at, at, inserted);
  }

  static byte[] replace(byte[] bytes, int from, int to, byte[] replacement) {
    byte[] output = new byte[bytes.length - (to - from) + replacement.length];
    System.arraycopy(bytes, 0, output, 0, from);
    System.arraycopy(replacement, 0, output, from, replacement.length);
    System.arraycopy(bytes, to, output, from + replacement.length, bytes.length - to);
    return output;
  }
}
