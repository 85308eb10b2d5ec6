package io.hivemind.core.catalog;

import java.util.List;

/** Everything one owner holds at a version: what a new replica, or one that missed deltas, gets. */
public record OwnerState(String owner, long generation, long seq, List<ServiceInstance> instances) {

  public OwnerState {
    CatalogNames.requireId("owner", owner);
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0: " + seq);
    }
    instances = List.copyOf(instances);
    for (ServiceInstance instance : instances) {
      if (!instance.owner().equals(owner)) {
        throw new IllegalArgumentException(
            "owner " + owner + "'s state carries an instance of " + instance.owner());
      }
    }
  }

  public OwnerVersion version() {
    return new OwnerVersion(generation, seq);
  }
}
