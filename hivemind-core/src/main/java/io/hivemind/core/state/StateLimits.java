package io.hivemind.core.state;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What the store accepts: bounded names and values, so one request can never cost an agent more
 * than a known amount of memory, and a name is safe in a URL path and a log line.
 */
public final class StateLimits {

  /** Longest map name. Maps are namespaces a person names: letters, digits, '.', '_', '-'. */
  public static final int MAX_MAP_LENGTH = 128;

  /** Longest key, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 512;

  /** Largest value: state such as sessions is small; bulk data belongs elsewhere. */
  public static final int MAX_VALUE_BYTES = 1 << 20;

  /** Longest TTL: ten years, so that now + TTL never overflows. */
  public static final long MAX_TTL_MILLIS = 10L * 366 * 24 * 3600 * 1000;

  private StateLimits() {}

  static void requireMapAndKey(String map, String key) {
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(key, "key");
    if (map.isEmpty() || map.length() > MAX_MAP_LENGTH) {
      throw new IllegalArgumentException("map must be 1 to " + MAX_MAP_LENGTH + " characters");
    }
    for (int i = 0; i < map.length(); i++) {
      char c = map.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!allowed) {
        throw new IllegalArgumentException(
            "map may hold only letters, digits, '.', '_' and '-': '" + map + "'");
      }
    }
    int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (keyBytes == 0 || keyBytes > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("key must be 1 to " + MAX_KEY_BYTES + " UTF-8 bytes");
    }
  }

  static void requireValue(byte[] value) {
    Objects.requireNonNull(value, "value");
    if (value.length > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException(
          "value of " + value.length + " bytes is larger than " + MAX_VALUE_BYTES);
    }
  }

  static void requireTtl(long ttlMillis) {
    if (ttlMillis < 0 || ttlMillis > MAX_TTL_MILLIS) {
      throw new IllegalArgumentException("TTL must be 0 (none) to " + MAX_TTL_MILLIS + " ms");
    }
  }
}
