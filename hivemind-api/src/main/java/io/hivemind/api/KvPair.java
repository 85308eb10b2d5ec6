package io.hivemind.api;

import java.util.Base64;

/**
 * One KV entry as {@code GET /v1/kv/{key}} answers it, in Consul's shape: {@code {"LockIndex": 0,
 * "Key": "app/config", "Flags": 0, "Value": "aGVsbG8=", "CreateIndex": 12, "ModifyIndex": 15}},
 * with {@code "Session"} while a session holds its lock (docs/sessions.md).
 *
 * @param lockIndex how many times a session newly acquired its lock
 * @param key the full key
 * @param flags the opaque 64-bit number a writer set with {@code ?flags}
 * @param value the value in base64, or null when the entry's value is empty (as Consul writes it)
 * @param createIndex the control-plane log index that created the entry
 * @param modifyIndex the log index that last changed it: the index a {@code ?cas} write names
 * @param session the id of the session holding its lock, or null when none does
 */
public record KvPair(
    long lockIndex,
    String key,
    long flags,
    String value,
    long createIndex,
    long modifyIndex,
    String session) {

  /**
   * An entry no session holds.
   *
   * @param lockIndex how many times a session newly acquired its lock
   * @param key the full key
   * @param flags the opaque number a writer set
   * @param value the value in base64, or null when empty
   * @param createIndex the log index that created it
   * @param modifyIndex the log index that last changed it
   */
  public KvPair(
      long lockIndex, String key, long flags, String value, long createIndex, long modifyIndex) {
    this(lockIndex, key, flags, value, createIndex, modifyIndex, null);
  }

  /**
   * The value's bytes.
   *
   * @return the decoded value; empty when it has none
   * @throws IllegalArgumentException when {@link #value} is not base64
   */
  public byte[] decodedValue() {
    return value == null ? new byte[0] : Base64.getDecoder().decode(value);
  }
}
