package io.hivemind.core.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state machine of the checks an agent runs for the instances it owns (Consul's agent checks):
 * which checks exist, each one's latest status, when a TTL check runs out, when an HTTP or TCP
 * check is due to be probed, and when an instance has been critical long enough to be deregistered
 * ({@code DeregisterCriticalServiceAfter}).
 *
 * <p>It only decides: the driver passes {@code nowMillis} in, runs the probes {@link #dueProbes}
 * hands out, reports their outcomes with {@link #probeResult}, calls {@link #tick} at {@link
 * #nextDueMillis}, and applies the {@link CheckResult}s and deregistrations to its {@link
 * OwnerLedger}.
 *
 * <p>Rules (Consul's): a TTL check not reported within its TTL turns critical with output "TTL
 * expired" and stays so until the next report; a probe is due every interval from the previous
 * probe's start, never two at once for one check; an instance is deregistered once any of its
 * checks has been critical, without a break, for that check's {@code deregisterCriticalAfter}, the
 * time counted from the moment it turned critical (its initial status included).
 *
 * <p>Not thread-safe: one owning thread (the agent's gossip loop).
 */
public final class HealthChecks {

  /** Consul's minimum probe interval: shorter ones are raised to it. */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  /** Consul's output for a TTL check that was not reported in time. */
  public static final String TTL_EXPIRED = "TTL expired";

  private static final long NEVER = Long.MAX_VALUE;

  private static final class Tracked {
    final CheckDefinition definition;
    HealthStatus status;
    long ttlDeadline = NEVER;
    long nextProbe = NEVER;
    long criticalSince = NEVER;
    boolean probing;

    Tracked(CheckDefinition definition) {
      this.definition = definition;
    }
  }

  private final Map<String, Tracked> checks = new LinkedHashMap<>();

  /**
   * Starts tracking {@code definition} at {@code status} (its initial status, or the one a
   * re-registration keeps), replacing any check with its id. A TTL check's clock starts now; an
   * HTTP or TCP check is due for its first probe now.
   *
   * @throws IllegalArgumentException when a TTL check has no TTL or a probed check no interval
   */
  public void add(CheckDefinition definition, HealthStatus status, long nowMillis) {
    Tracked tracked = new Tracked(requireTiming(definition));
    setStatus(tracked, status, nowMillis);
    switch (definition.kind()) {
      case TTL -> tracked.ttlDeadline = nowMillis + definition.ttl().toMillis();
      case HTTP, TCP -> tracked.nextProbe = nowMillis;
      case MAINTENANCE -> {
        // Critical until it is removed: no deadline, no probe.
      }
    }
    checks.put(definition.checkId(), tracked);
  }

  /**
   * Checks that {@code definition} can be run: a TTL check has a positive TTL, a probed one a
   * positive interval (a maintenance check has no timing).
   *
   * @throws IllegalArgumentException naming the check and the value
   */
  public static CheckDefinition requireTiming(CheckDefinition definition) {
    if (definition.kind() == CheckKind.MAINTENANCE) {
      return definition;
    }
    if (definition.kind() == CheckKind.TTL) {
      if (definition.ttl().isZero() || definition.ttl().isNegative()) {
        throw new IllegalArgumentException(
            "TTL check " + definition.checkId() + " needs a positive ttl: " + definition.ttl());
      }
    } else if (definition.interval().isZero() || definition.interval().isNegative()) {
      throw new IllegalArgumentException(
          definition.kind()
              + " check "
              + definition.checkId()
              + " needs a positive interval: "
              + definition.interval());
    }
    return definition;
  }

  /** Stops tracking one check; false when it was not tracked. */
  public boolean remove(String checkId) {
    return checks.remove(checkId) != null;
  }

  /** Stops tracking every check of {@code serviceId} (never a node check); returns their ids. */
  public List<String> removeInstance(String serviceId) {
    List<String> removed = new ArrayList<>();
    Iterator<Map.Entry<String, Tracked>> it = checks.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Tracked> entry = it.next();
      if (entry.getValue().definition.serviceId().equals(serviceId)) {
        removed.add(entry.getKey());
        it.remove();
      }
    }
    return removed;
  }

  public Optional<CheckDefinition> definition(String checkId) {
    Tracked tracked = checks.get(checkId);
    return tracked == null ? Optional.empty() : Optional.of(tracked.definition);
  }

  /** The check's status as last recorded here, if it is tracked. */
  public Optional<HealthStatus> status(String checkId) {
    Tracked tracked = checks.get(checkId);
    return tracked == null ? Optional.empty() : Optional.of(tracked.status);
  }

  /**
   * A service's report for its TTL check (Consul's {@code /v1/agent/check/pass|warn|fail}): the
   * status stands for another TTL from now.
   *
   * @return the result to record, or empty when no check has that id
   * @throws IllegalArgumentException when the check is not a TTL check (its status comes from the
   *     agent's probes)
   */
  public Optional<CheckResult> report(
      String checkId, HealthStatus status, String output, long nowMillis) {
    Tracked tracked = checks.get(checkId);
    if (tracked == null) {
      return Optional.empty();
    }
    CheckDefinition definition = tracked.definition;
    if (definition.kind() != CheckKind.TTL) {
      throw new IllegalArgumentException(
          "check " + checkId + " is a " + definition.kind() + " check, not a TTL check");
    }
    tracked.ttlDeadline = nowMillis + definition.ttl().toMillis();
    return Optional.of(record(tracked, status, output, nowMillis));
  }

  /**
   * The HTTP and TCP checks due for a probe at {@code nowMillis}; each is marked in flight until
   * {@link #probeResult}, and its next probe falls one interval from now.
   */
  public List<CheckDefinition> dueProbes(long nowMillis) {
    List<CheckDefinition> due = new ArrayList<>();
    for (Tracked tracked : checks.values()) {
      if (tracked.probing || tracked.nextProbe > nowMillis) {
        continue;
      }
      tracked.probing = true;
      tracked.nextProbe = nowMillis + interval(tracked.definition);
      due.add(tracked.definition);
    }
    return due;
  }

  private static long interval(CheckDefinition definition) {
    return Math.max(definition.interval().toMillis(), MIN_INTERVAL.toMillis());
  }

  /**
   * A probe's outcome for {@code probed}, the definition {@link #dueProbes} handed out.
   *
   * @return the result to record, or empty when the check was removed or replaced meanwhile
   */
  public Optional<CheckResult> probeResult(
      CheckDefinition probed, HealthStatus status, String output, long nowMillis) {
    Tracked tracked = checks.get(probed.checkId());
    if (tracked == null || !tracked.definition.equals(probed) || !tracked.probing) {
      return Optional.empty();
    }
    tracked.probing = false;
    return Optional.of(record(tracked, status, output, nowMillis));
  }

  /**
   * Expires the TTL checks whose time ran out and finds the instances to deregister at {@code
   * nowMillis}; the deregistered instances' checks are no longer tracked.
   */
  public HealthTick tick(long nowMillis) {
    List<CheckResult> results = new ArrayList<>();
    for (Tracked tracked : checks.values()) {
      if (tracked.ttlDeadline <= nowMillis) {
        tracked.ttlDeadline = NEVER; // critical until the next report
        results.add(record(tracked, HealthStatus.CRITICAL, TTL_EXPIRED, nowMillis));
      }
    }
    Set<String> deregister = new LinkedHashSet<>();
    for (Tracked tracked : checks.values()) {
      if (deregisterAt(tracked) <= nowMillis) {
        deregister.add(tracked.definition.serviceId());
      }
    }
    deregister.forEach(this::removeInstance);
    if (results.isEmpty() && deregister.isEmpty()) {
      return HealthTick.NONE;
    }
    return new HealthTick(results, List.copyOf(deregister));
  }

  /**
   * The earliest time something is due (a TTL running out, a probe, a deregistration), or {@link
   * Long#MAX_VALUE} when nothing is.
   */
  public long nextDueMillis() {
    long next = NEVER;
    for (Tracked tracked : checks.values()) {
      next = Math.min(next, tracked.ttlDeadline);
      if (!tracked.probing) {
        next = Math.min(next, tracked.nextProbe);
      }
      next = Math.min(next, deregisterAt(tracked));
    }
    return next;
  }

  /** How many checks are at each status. */
  public Map<HealthStatus, Integer> countByStatus() {
    Map<HealthStatus, Integer> counts = new EnumMap<>(HealthStatus.class);
    for (HealthStatus status : HealthStatus.values()) {
      counts.put(status, 0);
    }
    for (Tracked tracked : checks.values()) {
      counts.merge(tracked.status, 1, Integer::sum);
    }
    return counts;
  }

  public int size() {
    return checks.size();
  }

  private static long deregisterAt(Tracked tracked) {
    Duration after = tracked.definition.deregisterCriticalAfter();
    if (tracked.definition.nodeCheck()
        || after.isZero()
        || after.isNegative()
        || tracked.criticalSince == NEVER) {
      return NEVER;
    }
    return tracked.criticalSince + after.toMillis();
  }

  private static CheckResult record(
      Tracked tracked, HealthStatus status, String output, long nowMillis) {
    setStatus(tracked, status, nowMillis);
    CheckDefinition definition = tracked.definition;
    return new CheckResult(definition.serviceId(), definition.checkId(), status, output);
  }

  private static void setStatus(Tracked tracked, HealthStatus status, long nowMillis) {
    if (status != HealthStatus.CRITICAL) {
      tracked.criticalSince = NEVER;
    } else if (tracked.status != HealthStatus.CRITICAL || tracked.criticalSince == NEVER) {
      tracked.criticalSince = nowMillis;
    }
    tracked.status = status;
  }
}
