package io.hivemind.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the fields of protobuf-encoded bytes are, found from the wire format alone (tags, varints,
 * length prefixes; protobuf's "Encoding" guide), without a schema: so the mutator can corrupt a
 * length or a number where the decoder will read it, and not just at a random byte. A
 * length-delimited field whose payload parses as fields is walked into as a nested message (strings
 * sometimes look like one too, which only adds places to mutate).
 */
final class ProtobufFields {

  /** A field: where its tag starts, where its value (varint or length prefix) is, where it ends. */
  record Field(int start, int valueStart, int valueEnd, int end, boolean lengthDelimited) {}

  private static final int MAX_DEPTH = 8;
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LENGTH = 2;
  private static final int WIRE_FIXED32 = 5;

  private ProtobufFields() {}

  /** Every field of {@code bytes} that parses, nested ones included, in order of position. */
  static List<Field> of(byte[] bytes) {
    List<Field> fields = new ArrayList<>();
    walk(bytes, 0, bytes.length, 0, fields);
    return fields;
  }

  /** Walks the fields in {@code [from, to)}; true if they parse exactly to {@code to}. */
  private static boolean walk(byte[] bytes, int from, int to, int depth, List<Field> fields) {
    int pos = from;
    int found = fields.size();
    while (pos < to) {
      long tag = varint(bytes, pos, to);
      if (tag < 0 || (tag >>> 3) == 0) {
        return false;
      }
      int start = pos;
      pos += varintLength(bytes, pos);
      int end = skipValue(bytes, pos, to, (int) (tag & 7), depth, fields);
      if (end < 0) {
        truncate(fields, found);
        return false;
      }
      fields.add(new Field(start, pos, valueEnd(bytes, pos, (int) (tag & 7)), end, (tag & 7) == 2));
      pos = end;
    }
    return true;
  }

  /** Where the field whose value starts at {@code pos} ends, or -1 if it does not parse. */
  private static int skipValue(
      byte[] bytes, int pos, int to, int wireType, int depth, List<Field> fields) {
    switch (wireType) {
      case WIRE_VARINT:
        return varint(bytes, pos, to) < 0 ? -1 : pos + varintLength(bytes, pos);
      case WIRE_FIXED64:
        return pos + 8 <= to ? pos + 8 : -1;
      case WIRE_FIXED32:
        return pos + 4 <= to ? pos + 4 : -1;
      case WIRE_LENGTH:
        long length = varint(bytes, pos, to);
        int payload = pos + varintLength(bytes, pos);
        if (length < 0 || length > to - payload) {
          return -1;
        }
        int end = payload + (int) length;
        if (depth < MAX_DEPTH && length > 0) {
          int before = fields.size();
          if (!walk(bytes, payload, end, depth + 1, fields)) {
            truncate(fields, before);
          }
        }
        return end;
      default:
        return -1;
    }
  }

  private static int valueEnd(byte[] bytes, int pos, int wireType) {
    return wireType == WIRE_VARINT || wireType == WIRE_LENGTH
        ? pos + varintLength(bytes, pos)
        : pos;
  }

  private static void truncate(List<Field> fields, int size) {
    while (fields.size() > size) {
      fields.remove(fields.size() - 1);
    }
  }

  /** The varint at {@code pos}, or -1 if it runs past {@code to} or over 10 bytes. */
  static long varint(byte[] bytes, int pos, int to) {
    long value = 0;
    for (int shift = 0, i = pos; i < to && shift < 70; shift += 7, i++) {
      value |= (long) (bytes[i] & 0x7F) << shift;
      if ((bytes[i] & 0x80) == 0) {
        return value & Long.MAX_VALUE;
      }
    }
    return -1;
  }

  /** Bytes of the varint at {@code pos} (its continuation bits), at most 10. */
  static int varintLength(byte[] bytes, int pos) {
    int length = 1;
    while (pos + length - 1 < bytes.length
        && (bytes[pos + length - 1] & 0x80) != 0
        && length < 10) {
      length++;
    }
    return length;
  }

  /** {@code value} as a varint (negative values take 10 bytes, as protobuf writes them). */
  static byte[] encodeVarint(long value) {
    byte[] buffer = new byte[10];
    int length = 0;
    long rest = value;
    while ((rest & ~0x7FL) != 0) {
      buffer[length++] = (byte) ((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    buffer[length++] = (byte) rest;
    byte[] encoded = new byte[length];
    System.arraycopy(buffer, 0, encoded, 0, length);
    return encoded;
  }
}
