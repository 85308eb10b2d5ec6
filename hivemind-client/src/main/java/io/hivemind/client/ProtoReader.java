package io.hivemind.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Reads protocol buffers' wire format field by field: {@link #next} moves to a field, then one of
 * {@link #varint}, {@link #bytes}, {@link #string} or {@link #skip} reads its value. Every length
 * is checked against what is left before anything is allocated; malformed bytes throw {@link
 * IllegalArgumentException} with what is wrong. Not thread-safe.
 */
final class ProtoReader {

  private final byte[] bytes;
  private int position;
  private final int end;
  private int field;
  private int wireType;

  /**
   * Decodes the body of one frame's field, or answers null for a field this client does not know.
   */
  @FunctionalInterface
  interface Bodies<A> {
    A read(int field, ProtoReader frame);
  }

  /**
   * Reads one frame of the agents' protocols: field 1 the sender's version, which must be {@code
   * version}; any other field a body, decoded by {@code bodies}. A field they do not know is
   * skipped, and stands for the frame ({@code unknown}: a newer agent's frame) only when no known
   * body came.
   *
   * @throws IllegalArgumentException for another version, no body, or malformed bytes
   */
  static <A> A frame(
      byte[] bytes, int version, String protocol, Bodies<A> bodies, IntFunction<A> unknown) {
    ProtoReader frame = new ProtoReader(bytes);
    long sent = -1;
    A answer = null;
    A unknownBody = null;
    while (frame.next()) {
      if (frame.field() == 1) {
        sent = frame.varint();
        continue;
      }
      A body = bodies.read(frame.field(), frame);
      if (body != null) {
        answer = body;
      } else {
        if (unknownBody == null) {
          unknownBody = unknown.apply(frame.field());
        }
        frame.skip();
      }
    }
    if (sent != version) {
      throw new IllegalArgumentException(
          protocol + " protocol version " + sent + ", expected " + version);
    }
    if (answer == null && unknownBody == null) {
      throw new IllegalArgumentException(protocol + " frame without a body");
    }
    return answer != null ? answer : unknownBody;
  }

  ProtoReader(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  private ProtoReader(byte[] bytes, int from, int to) {
    this.bytes = bytes;
    this.position = from;
    this.end = to;
  }

  /** Moves to the next field; false at the end. */
  boolean next() {
    if (position >= end) {
      return false;
    }
    long tag = readVarint();
    field = (int) (tag >>> 3);
    wireType = (int) (tag & 7);
    if (field == 0 || tag >>> 3 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("invalid field number in tag " + tag);
    }
    return true;
  }

  int field() {
    return field;
  }

  long varint() {
    expect(0);
    return readVarint();
  }

  byte[] bytes() {
    expect(2);
    int length = length();
    byte[] value = Arrays.copyOfRange(bytes, position, position + length);
    position += length;
    return value;
  }

  String string() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  /** The current field's value as a nested message. */
  ProtoReader message() {
    expect(2);
    int length = length();
    ProtoReader nested = new ProtoReader(bytes, position, position + length);
    position += length;
    return nested;
  }

  /** Skips the current field's value (a field this client does not know). */
  void skip() {
    switch (wireType) {
      case 0 -> readVarint();
      case 1 -> advance(8);
      case 2 -> advance(length());
      case 5 -> advance(4);
      default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
    }
  }

  private int length() {
    long length = readVarint();
    if (length < 0 || length > end - position) {
      throw new IllegalArgumentException(
          "field " + field + " claims " + length + " bytes, " + (end - position) + " left");
    }
    return (int) length;
  }

  private void advance(int count) {
    if (count > end - position) {
      throw new IllegalArgumentException("field " + field + " runs past the frame's end");
    }
    position += count;
  }

  private void expect(int type) {
    if (wireType != type) {
      throw new IllegalArgumentException(
          "field " + field + " has wire type " + wireType + ", expected " + type);
    }
  }

  private long readVarint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= end) {
        throw new IllegalArgumentException("truncated varint");
      }
      byte b = bytes[position++];
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes");
  }
}
