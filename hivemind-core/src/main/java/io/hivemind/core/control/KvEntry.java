package io.hivemind.core.control;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Consul-shaped KV entry. Indexes are log indexes.
 *
 * <p>Holds its own copy of the value and hands out copies, so it stays immutable; equality compares
 * the value's bytes (a record would compare the array's identity).
 *
 * @param key the key, at most {@value ControlFieldRules#MAX_KV_KEY_BYTES} bytes of UTF-8
 * @param value the value, at most {@value ControlFieldRules#MAX_KV_VALUE_BYTES} bytes
 * @param flags Consul's opaque 64-bit flags
 * @param createIndex the index of the entry that created the key
 * @param modifyIndex the index of the entry that last set it
 * @param lockIndex how many times a session acquired it (Consul's {@code LockIndex})
 * @param session the session holding its lock, "" when none
 */
public record KvEntry(
    String key,
    byte[] value,
    long flags,
    long createIndex,
    long modifyIndex,
    long lockIndex,
    String session) {
  public KvEntry {
    Objects.requireNonNull(key, "key");
    value = value.clone();
    Objects.requireNonNull(session, "session");
  }

  /** An entry no session ever locked. */
  public KvEntry(String key, byte[] value, long flags, long createIndex, long modifyIndex) {
    this(key, value, flags, createIndex, modifyIndex, 0, "");
  }

  /** Whether a session holds its lock. */
  public boolean locked() {
    return !session.isEmpty();
  }

  /** A copy of the value. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value's length, without copying it. */
  public int valueLength() {
    return value.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KvEntry that
        && key.equals(that.key)
        && Arrays.equals(value, that.value)
        && flags == that.flags
        && createIndex == that.createIndex
        && modifyIndex == that.modifyIndex
        && lockIndex == that.lockIndex
        && session.equals(that.session);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        key, Arrays.hashCode(value), flags, createIndex, modifyIndex, lockIndex, session);
  }

  @Override
  public String toString() {
    return "KvEntry[key="
        + key
        + ", value="
        + value.length
        + " bytes, flags="
        + flags
        + ", createIndex="
        + createIndex
        + ", modifyIndex="
        + modifyIndex
        + (session.isEmpty() ? "" : ", lockIndex=" + lockIndex + ", session=" + session)
        + "]";
  }
}
