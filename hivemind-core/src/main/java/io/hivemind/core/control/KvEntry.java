package io.hivemind.core.control;

import java.util.Objects;

/** A Consul-shaped KV entry. Indexes are log indexes. */
public record KvEntry(String key, byte[] value, long flags, long createIndex, long modifyIndex) {
  public KvEntry {
    Objects.requireNonNull(key, "key");
    value = value.clone();
  }
}
