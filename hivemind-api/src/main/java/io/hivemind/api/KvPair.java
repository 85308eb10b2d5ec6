package io.hivemind.api;

import java.util.Base64;

/**
 * One KV entry as {@code GET /v1/kv/{key}} answers it, in Consul's shape: {@code {"LockIndex": 0,
 * "Key": "app/config", "Flags": 0, "Value": "aGVsbG8=", "CreateIndex": 12, "ModifyIndex": 15}}.
 *
 * @param lockIndex always 0: Hivemind has no sessions or locks; kept for Consul's clients
 * @param key the full key
 * @param flags the opaque 64-bit number a writer set with {@code ?flags}
 * @param value the value in base64, or null when the entry's value is empty (as Consul writes it)
 * @param createIndex the control-plane log index that created the entry
 * @param modifyIndex the log index that last changed it: the index a {@code ?cas} write names
 */
public record KvPair(
    long lockIndex, String key, long flags, String value, long createIndex, long modifyIndex) {

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
