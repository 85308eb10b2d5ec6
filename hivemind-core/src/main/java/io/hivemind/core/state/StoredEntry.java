package io.hivemind.core.state;

/**
 * One live or expired entry as a replica holds it.
 *
 * @param version the partition sequence number of its last write
 * @param expiresAtMillis the owner's clock at which it stops being live, 0 for never
 */
record StoredEntry(byte[] value, long version, long expiresAtMillis) {

  boolean liveAt(long nowMillis) {
    return expiresAtMillis == 0 || nowMillis < expiresAtMillis;
  }
}
