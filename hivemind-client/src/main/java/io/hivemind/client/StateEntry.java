package io.hivemind.client;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a partitioned-state map as its owner holds it ({@code GET /v1/state/{map}/{key}},
 * issue 13).
 *
 * @param value the value's bytes (a copy: changing it changes nothing else)
 * @param version the entry's version: the sequence number of its last write in its partition, what
 *     {@link StateMap#compareAndSet} compares
 * @param expiresAtMillis when the entry expires, in milliseconds since the epoch by the owner's
 *     clock, or 0 when it has no TTL
 */
public record StateEntry(byte[] value, long version, long expiresAtMillis) {

  /** Copies {@code value}, so the record stays immutable. */
  public StateEntry {
    Objects.requireNonNull(value, "value");
    value = value.clone();
    if (version < 1) {
      throw new IllegalArgumentException("an entry's version is 1 or more: " + version);
    }
    if (expiresAtMillis < 0) {
      throw new IllegalArgumentException("expiry must be 0 (none) or a time: " + expiresAtMillis);
    }
  }

  /**
   * The value's bytes.
   *
   * @return a copy of the value
   */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /**
   * When the entry expires.
   *
   * @return the instant, or empty when the entry has no TTL
   */
  public Optional<Instant> expiresAt() {
    return expiresAtMillis == 0
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(expiresAtMillis));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StateEntry that
        && version == that.version
        && expiresAtMillis == that.expiresAtMillis
        && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(value), version, expiresAtMillis);
  }

  @Override
  public String toString() {
    return "StateEntry["
        + value.length
        + " bytes, version "
        + version
        + ", expires "
        + expiresAtMillis
        + "]";
  }
}
