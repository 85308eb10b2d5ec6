package io.hivemind.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Byte streams in the gossip stream format ({@code length (4 bytes, big-endian) | frame}), mutated
 * where framing breaks: a length that lies (one off, zero, at and over the limit, 2³¹, 2³²−1),
 * frames cut short or followed by more, a length prefix cut in half, and the stream cut into
 * arbitrary reads, down to one byte at a time. Each stream ends as a peer may end it: closed,
 * silent until the read timeout, or left open.
 */
public final class FramedStreams {

  /** How the peer ends the stream; CLOSE is the simplest. */
  public enum Ending {
    CLOSE,
    READ_TIMEOUT,
    OPEN
  }

  /**
   * One stream: its bytes, where the reads end, and how it ends.
   *
   * @param cuts ascending positions in {@code bytes} where one read ends and the next begins
   */
  public record StreamInput(byte[] bytes, int[] cuts, Ending ending) {

    /** The reads, in order; together they are {@code bytes}. */
    public byte[][] chunks() {
      byte[][] chunks = new byte[cuts.length + 1][];
      int from = 0;
      for (int i = 0; i <= cuts.length; i++) {
        int to = i < cuts.length ? cuts[i] : bytes.length;
        chunks[i] = ByteMutator.slice(bytes, from, to);
        from = to;
      }
      return chunks;
    }

    /** The length of the longest read. */
    public int largestChunk() {
      return Arrays.stream(chunks()).mapToInt(c -> c.length).max().orElse(0);
    }
  }

  private final Function<Choices, byte[]> payloads;
  private final int maxFrameBytes;

  /**
   * @param payloads makes the frames' contents
   * @param maxFrameBytes the receiver's limit, so lengths are tried at and around it
   */
  public FramedStreams(Function<Choices, byte[]> payloads, int maxFrameBytes) {
    this.payloads = payloads;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** One stream; the simplest is one honest frame, in one read, then closed. */
  public StreamInput next(Choices choices) {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    int frames = choices.between(1, 3);
    for (int i = 0; i < frames; i++) {
      byte[] payload = payloads.apply(choices);
      long length = choices.oneIn(3) ? lyingLength(payload.length, choices) : payload.length;
      writeInt(stream, length);
      stream.write(payload, 0, payload.length);
    }
    byte[] bytes = tail(stream, choices);
    if (choices.oneIn(8) && bytes.length > 0) {
      bytes[choices.below(bytes.length)] ^= (byte) (1 << choices.below(8));
    }
    return new StreamInput(bytes, cuts(bytes.length, choices), choices.pick(Ending.values()));
  }

  private long lyingLength(int actual, Choices choices) {
    return choices.pick(
        (long) actual + 1,
        (long) actual - 1,
        0L,
        (long) maxFrameBytes,
        (long) maxFrameBytes + 1,
        (long) maxFrameBytes + 4,
        0x7FFF_FFFFL,
        0x8000_0000L,
        0xFFFF_FFFFL,
        (long) choices.draw());
  }

  /** The end of the stream: nothing more, half a length prefix, a frame cut short, or garbage. */
  private static byte[] tail(ByteArrayOutputStream stream, Choices choices) {
    switch (choices.below(4)) {
      case 1 -> {
        byte[] halfAPrefix = choices.bytes(choices.between(1, 3));
        stream.write(halfAPrefix, 0, halfAPrefix.length);
      }
      case 2 -> {
        byte[] bytes = stream.toByteArray();
        return ByteMutator.slice(bytes, 0, Math.max(0, bytes.length - choices.between(1, 8)));
      }
      case 3 -> {
        byte[] garbage = choices.bytes(choices.between(1, 64));
        stream.write(garbage, 0, garbage.length);
      }
      default -> {}
    }
    return stream.toByteArray();
  }

  /** Where reads end: none (one read), a few anywhere, or one byte at a time. */
  private static int[] cuts(int length, Choices choices) {
    if (length > 1 && length <= 512 && choices.oneIn(12)) {
      int[] every = new int[length - 1];
      Arrays.setAll(every, i -> i + 1);
      return every;
    }
    int count = length < 2 ? 0 : choices.below(6);
    return IntStream.generate(() -> choices.between(1, length - 1))
        .limit(count)
        .sorted()
        .distinct()
        .toArray();
  }

  private static void writeInt(ByteArrayOutputStream stream, long value) {
    stream.write((int) (value >>> 24) & 0xFF);
    stream.write((int) (value >>> 16) & 0xFF);
    stream.write((int) (value >>> 8) & 0xFF);
    stream.write((int) value & 0xFF);
  }
}
