package io.hivemind.core.control;

import java.util.Objects;

/**
 * A persistent registration's service or check with its log indexes (Consul's {@code CreateIndex},
 * {@code ModifyIndex}): the index of the entry that created it and of the one that last changed it.
 */
public record ExternalEntry<T>(T value, long createIndex, long modifyIndex) {
  public ExternalEntry {
    Objects.requireNonNull(value, "value");
    if (createIndex < 0 || modifyIndex < createIndex) {
      throw new IllegalArgumentException(
          "indexes created " + createIndex + ", modified " + modifyIndex);
    }
  }

  /** This entry holding {@code newValue} at {@code index}; itself when nothing changes. */
  ExternalEntry<T> updated(T newValue, long index) {
    return value.equals(newValue) ? this : new ExternalEntry<>(newValue, createIndex, index);
  }
}
