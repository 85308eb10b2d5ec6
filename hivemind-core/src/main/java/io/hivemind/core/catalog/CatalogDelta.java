package io.hivemind.core.catalog;

import java.util.List;
import java.util.Objects;

/**
 * An owner's changes from {@code fromSeq} (exclusive) to {@code toSeq} (inclusive) within one
 * generation: the latest state of every instance that changed, and the ids of those removed. It
 * carries final states, not operations, so applying it over any state between {@code fromSeq} and
 * {@code toSeq} gives the state at {@code toSeq}.
 */
public record CatalogDelta(
    String owner,
    long generation,
    long fromSeq,
    long toSeq,
    List<ServiceInstance> upserts,
    List<String> removedIds) {

  public CatalogDelta {
    CatalogNames.requireId("owner", owner);
    if (fromSeq < 0 || toSeq <= fromSeq) {
      throw new IllegalArgumentException(
          "a delta spans 0 <= fromSeq < toSeq: " + fromSeq + ".." + toSeq);
    }
    upserts = List.copyOf(upserts);
    removedIds = List.copyOf(removedIds);
    for (ServiceInstance instance : upserts) {
      if (!instance.owner().equals(owner)) {
        throw new IllegalArgumentException(
            "owner " + owner + "'s delta carries an instance of " + instance.owner());
      }
    }
    removedIds.forEach(id -> Objects.requireNonNull(id, "removed id"));
  }

  public OwnerVersion version() {
    return new OwnerVersion(generation, toSeq);
  }
}
