package io.hivemind.core.state;

import java.util.Objects;

/**
 * One operation on the partitioned store, addressed by map and key (issue 13). Every operation on a
 * key goes to the owner of the key's partition ({@code io.hivemind.api.StateKeys#partition}).
 * Limits are checked on construction ({@link StateLimits}), so a request that exists is one the
 * store can hold.
 */
public sealed interface StateOp
    permits StateOp.Get, StateOp.Put, StateOp.Delete, StateOp.CompareAndSet {

  /** The map: a namespace of keys. */
  String map();

  /** The key within the map. */
  String key();

  /** Whether the operation changes the store (and so is replicated before it is acknowledged). */
  default boolean writes() {
    return !(this instanceof Get);
  }

  /** Reads a key's value. */
  record Get(String map, String key) implements StateOp {
    public Get {
      StateLimits.requireMapAndKey(map, key);
    }
  }

  /**
   * Sets a key's value.
   *
   * @param ttlMillis how long the entry lives after this write, 0 for ever
   */
  record Put(String map, String key, byte[] value, long ttlMillis) implements StateOp {
    public Put {
      StateLimits.requireMapAndKey(map, key);
      StateLimits.requireValue(value);
      StateLimits.requireTtl(ttlMillis);
    }
  }

  /** Removes a key. */
  record Delete(String map, String key) implements StateOp {
    public Delete {
      StateLimits.requireMapAndKey(map, key);
    }
  }

  /**
   * Sets a key's value only if its version is {@code expectedVersion}; 0 means only if absent.
   *
   * @param ttlMillis how long the entry lives after this write, 0 for ever
   */
  record CompareAndSet(String map, String key, long expectedVersion, byte[] value, long ttlMillis)
      implements StateOp {
    public CompareAndSet {
      StateLimits.requireMapAndKey(map, key);
      StateLimits.requireValue(value);
      StateLimits.requireTtl(ttlMillis);
      if (expectedVersion < 0) {
        throw new IllegalArgumentException("expected version must be >= 0: " + expectedVersion);
      }
      Objects.requireNonNull(value, "value");
    }
  }
}
