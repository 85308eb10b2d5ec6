package io.hivemind.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Which partition a key of the partitioned store belongs to (issue 13): part of the contract, so
 * the agents and a client that routes by itself agree. Murmur3's 32-bit hash (x86 variant, seed 0)
 * of the UTF-8 bytes of map, a NUL byte and key, reduced with an unsigned modulo: stable across
 * versions, languages and platforms.
 */
public final class StateKeys {

  private StateKeys() {}

  /** The partition of {@code key} in {@code map}, among {@code partitionCount}. */
  public static int partition(String map, String key, int partitionCount) {
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(key, "key");
    if (partitionCount < 1) {
      throw new IllegalArgumentException("partition count must be >= 1: " + partitionCount);
    }
    byte[] m = map.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[m.length + 1 + k.length];
    System.arraycopy(m, 0, bytes, 0, m.length);
    System.arraycopy(k, 0, bytes, m.length + 1, k.length);
    return (int) (Integer.toUnsignedLong(murmur3(bytes)) % partitionCount);
  }

  /** Murmur3 x86 32-bit, seed 0 (Appleby's reference algorithm). */
  public static int murmur3(byte[] data) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h = 0;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int at = i * 4;
      int k =
          (data[at] & 0xff)
              | (data[at + 1] & 0xff) << 8
              | (data[at + 2] & 0xff) << 16
              | (data[at + 3] & 0xff) << 24;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    int k = 0;
    int rest = data.length & 3;
    if (rest == 3) {
      k ^= (data[tail + 2] & 0xff) << 16;
    }
    if (rest >= 2) {
      k ^= (data[tail + 1] & 0xff) << 8;
    }
    if (rest >= 1) {
      k ^= data[tail] & 0xff;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
