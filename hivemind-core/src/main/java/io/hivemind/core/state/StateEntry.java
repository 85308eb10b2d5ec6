package io.hivemind.core.state;

import java.util.Objects;

/**
 * One stored entry as a snapshot carries it.
 *
 * @param version the partition sequence number of the entry's last write (what CAS compares)
 * @param expiresAtMillis when the entry stops being live, 0 for never
 */
public record StateEntry(String map, String key, byte[] value, long version, long expiresAtMillis) {

  public StateEntry {
    StateLimits.requireMapAndKey(map, key);
    StateLimits.requireValue(value);
    Objects.requireNonNull(value, "value");
    if (version < 1 || expiresAtMillis < 0) {
      throw new IllegalArgumentException(
          "entry version must be >= 1 and expiry >= 0: " + version + ", " + expiresAtMillis);
    }
  }

  /** Bytes the entry costs on the wire, roughly: what snapshot chunking budgets by. */
  int sizeBytes() {
    return map.length() + key.length() * 3 + value.length + 32;
  }
}
