package io.hivemind.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes protocol buffers' wire format (varints and length-delimited fields), enough for the
 * session protocol's frames: the client stays JDK-only, without the protobuf runtime. Default
 * values (0, "", empty) are left out, as protobuf's own encoders do. Not thread-safe.
 */
final class ProtoWriter {

  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  ProtoWriter uint64(int field, long value) {
    if (value != 0) {
      tag(field, VARINT);
      varint(value);
    }
    return this;
  }

  ProtoWriter bool(int field, boolean value) {
    return uint64(field, value ? 1 : 0);
  }

  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A repeated string: written even when empty, as every element of a list is. */
  ProtoWriter repeatedString(int field, String value) {
    writeBytes(field, value.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  ProtoWriter bytes(int field, byte[] value) {
    if (value.length > 0) {
      writeBytes(field, value);
    }
    return this;
  }

  /** A nested message, written even when empty (its presence can matter: a oneof's case). */
  ProtoWriter message(int field, ProtoWriter nested) {
    writeBytes(field, nested.toByteArray());
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void writeBytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    varint(value.length);
    out.writeBytes(value);
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long value) {
    long rest = value;
    while ((rest & ~0x7FL) != 0) {
      out.write((int) ((rest & 0x7F) | 0x80));
      rest >>>= 7;
    }
    out.write((int) rest);
  }
}
