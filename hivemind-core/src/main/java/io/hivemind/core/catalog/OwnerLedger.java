package io.hivemind.core.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The authoritative record of the instances one agent owns: the only place they change. Changes
 * accumulate until {@link #drain()} turns them into one {@link CatalogDelta}, so a burst of
 * registrations between two drains travels as one message.
 *
 * <p>Each drained delta advances the sequence by one within this ledger's generation; the driver
 * picks a generation per process start (its start time), so a restarted owner's state replaces its
 * previous life's everywhere.
 *
 * <p>Check output that changes while the status stays the same is kept here but not replicated
 * until the status changes: an HTTP check whose body carries a timestamp would otherwise send a
 * delta to every node every interval (Consul rate-limits the same way, {@code
 * check_update_interval}).
 *
 * <p>Not thread-safe: one owning thread (the agent's gossip loop).
 */
public final class OwnerLedger {

  private final String owner;
  private final long generation;
  private final Map<String, ServiceInstance> instances = new LinkedHashMap<>();
  private final Set<String> changed = new LinkedHashSet<>();
  private final Map<String, String> latestOutput = new LinkedHashMap<>();
  private long seq;

  public OwnerLedger(String owner, long generation) {
    this.owner = CatalogNames.requireId("owner", owner);
    this.generation = generation;
  }

  public String owner() {
    return owner;
  }

  public long generation() {
    return generation;
  }

  /**
   * Registers or replaces the instance with {@code instance.id()}.
   *
   * @throws IllegalArgumentException when the instance names another owner
   */
  public void put(ServiceInstance instance) {
    if (!instance.owner().equals(owner)) {
      throw new IllegalArgumentException(
          "ledger of " + owner + " cannot hold an instance of " + instance.owner());
    }
    ServiceInstance previous = instances.put(instance.id(), instance);
    if (!instance.equals(previous)) {
      changed.add(instance.id());
    }
  }

  /** Removes the instance; false when there was none. */
  public boolean remove(String id) {
    if (instances.remove(id) == null) {
      return false;
    }
    changed.add(id);
    latestOutput.keySet().removeIf(key -> key.startsWith(id + '\0'));
    return true;
  }

  /** Removes every instance of {@code session}; returns their ids. */
  public List<String> removeSession(String session) {
    List<String> ids = new ArrayList<>();
    for (ServiceInstance instance : instances.values()) {
      if (instance.session().equals(session)) {
        ids.add(instance.id());
      }
    }
    ids.forEach(this::remove);
    return ids;
  }

  /**
   * Records a check's result on one instance.
   *
   * @return false when the instance or the check is unknown
   */
  public boolean updateCheck(
      String instanceId, String checkId, HealthStatus status, String output) {
    Objects.requireNonNull(status, "status");
    ServiceInstance instance = instances.get(instanceId);
    if (instance == null) {
      return false;
    }
    List<CheckStatus> checks = new ArrayList<>(instance.checks());
    for (int i = 0; i < checks.size(); i++) {
      CheckStatus check = checks.get(i);
      if (check.checkId().equals(checkId)) {
        latestOutput.put(instanceId + '\0' + checkId, output);
        if (check.status() != status) {
          checks.set(i, check.withStatus(status, output));
          put(instance.withChecks(checks));
        }
        return true;
      }
    }
    return false;
  }

  /** The check's latest output, which may be newer than the replicated one. */
  public Optional<String> latestOutput(String instanceId, String checkId) {
    return Optional.ofNullable(latestOutput.get(instanceId + '\0' + checkId));
  }

  public Optional<ServiceInstance> get(String id) {
    return Optional.ofNullable(instances.get(id));
  }

  public List<ServiceInstance> instances() {
    return List.copyOf(instances.values());
  }

  /** The changes since the last drain as one delta, or empty when nothing changed. */
  public Optional<CatalogDelta> drain() {
    if (changed.isEmpty()) {
      return Optional.empty();
    }
    List<ServiceInstance> upserts = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (String id : changed) {
      ServiceInstance instance = instances.get(id);
      if (instance == null) {
        removed.add(id);
      } else {
        upserts.add(instance);
      }
    }
    changed.clear();
    long from = seq;
    seq++;
    return Optional.of(new CatalogDelta(owner, generation, from, seq, upserts, removed));
  }

  /**
   * Every instance as one delta, whether anything changed or not: what an owner sends when it
   * starts publishing (at its admission), so that its first delta of a new generation replaces its
   * previous life's entries on every replica even when it now holds nothing.
   */
  public CatalogDelta drainAll() {
    changed.addAll(instances.keySet());
    List<String> removed = new ArrayList<>();
    for (String id : changed) {
      if (!instances.containsKey(id)) {
        removed.add(id);
      }
    }
    changed.clear();
    long from = seq;
    seq++;
    return new CatalogDelta(owner, generation, from, seq, List.copyOf(instances.values()), removed);
  }

  /** Everything this owner holds, at the last drained sequence plus what is not drained yet. */
  public OwnerState state() {
    return new OwnerState(owner, generation, seq, List.copyOf(instances.values()));
  }

  public OwnerVersion version() {
    return new OwnerVersion(generation, seq);
  }

  public boolean hasUndrainedChanges() {
    return !changed.isEmpty();
  }
}
