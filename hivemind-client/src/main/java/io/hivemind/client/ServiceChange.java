package io.hivemind.client;

import io.hivemind.api.ServiceEntry;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One step of a followed service ({@link ServiceWatch}): its instances now, and how they differ
 * from the previous step's. The first step lists every instance as added.
 *
 * @param service the service's name
 * @param instances every instance now, in the agent's order
 * @param added instances that were not there before
 * @param changed instances whose address, port, tags, metadata, weights or health changed
 * @param removed instances that are gone, as they were last seen
 * @param index the agent's index of this answer ({@code X-Consul-Index})
 * @param agent the agent that answered: after a failover, the other agent of the host
 */
public record ServiceChange(
    String service,
    List<ServiceEntry> instances,
    List<ServiceEntry> added,
    List<ServiceEntry> changed,
    List<ServiceEntry> removed,
    long index,
    URI agent) {

  /** Copies the lists. */
  public ServiceChange {
    Objects.requireNonNull(service, "service");
    instances = List.copyOf(instances);
    added = List.copyOf(added);
    changed = List.copyOf(changed);
    removed = List.copyOf(removed);
    Objects.requireNonNull(agent, "agent");
  }

  /**
   * Whether anything differs from the previous step.
   *
   * @return true when an instance was added, changed or removed
   */
  public boolean isEmpty() {
    return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
  }
}
