package io.hivemind.core.control;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The control plane's decision rule for failures: observers report their own probe results ({@link
 * Observation}), and the rule decides when the cluster agrees a member failed. Pure and
 * deterministic: the replicated state machine runs it inside apply, the simulator runs the same
 * code with a modelled commit delay. docs/protocol/control.md, "Agreement on failure", explains the
 * rule and the measurements behind {@link RemovalPolicy#DEFAULT}.
 *
 * <p>The rule, for a subject in a cluster of {@code n} admitted members:
 *
 * <ul>
 *   <li>A SUSPECT starts the observer's suspicion (a repeated one keeps its start); an ALIVE ends
 *       it. A report at a higher incarnation than a suspicion's proves the subject refuted: every
 *       suspicion below it is cleared, and later reports below it are ignored as stale.
 *   <li><b>Agreement</b> (when {@code n − 1 ≥ 2}, so a second observer exists): removed once {@code
 *       max(2, min(requiredObservers, n − 1))} distinct observers whose local health is at most
 *       {@code maxLocalHealth} suspect it and the oldest of those suspicions has stood {@code
 *       confirmMillis} (the time a refutation needs to arrive). The same number of observers of any
 *       local health remove it once the oldest has stood {@code suspicionTimeoutMillis}, so a crash
 *       is still agreed when the observers doubt themselves. A lone suspicion never removes.
 *   <li><b>Timeout</b> (when {@code n = 2}, no second observer exists): removed once the only
 *       observer's suspicion has stood {@code suspicionTimeoutMillis}.
 * </ul>
 *
 * <p>Observations about or from members that are not admitted are dropped at the next {@link
 * #decide}; at most {@link #MAX_OBSERVERS_PER_SUBJECT} suspicions are kept per subject (the
 * healthiest), so memory is bounded by the admitted members.
 *
 * <p>Not thread-safe: owned by the thread that applies entries.
 */
public final class RemovalRule {

  /**
   * Suspicions kept per subject. More than the largest useful {@code requiredObservers} (a handful)
   * leaves room for unhealthy observers without crowding out the healthy ones that decide.
   */
  public static final int MAX_OBSERVERS_PER_SUBJECT = 8;

  private static final Comparator<Suspicion> OLDEST_FIRST =
      Comparator.comparingLong(Suspicion::sinceMillis).thenComparing(Suspicion::observer);

  private final RemovalPolicy policy;
  private final TreeMap<String, SubjectSuspicions> bySubject = new TreeMap<>();

  public RemovalRule(RemovalPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  public RemovalPolicy policy() {
    return policy;
  }

  /** Records one observation made at {@code nowMillis} (the entry's time). */
  public void observe(Observation observation, long nowMillis) {
    String subject = observation.subject();
    if (observation.observer().equals(subject)) {
      return; // a member's word about itself is no observation
    }
    SubjectSuspicions s = bySubject.get(subject);
    if (observation.kind() == Observation.Kind.SUSPECT) {
      if (s == null) {
        s = new SubjectSuspicions(subject, MAX_OBSERVERS_PER_SUBJECT);
        bySubject.put(subject, s);
      }
      s.suspect(
          observation.observer(), observation.incarnation(), observation.localHealth(), nowMillis);
    } else if (s != null) {
      s.alive(observation.observer(), observation.incarnation(), nowMillis);
    }
    if (s != null && s.isEmpty()) {
      bySubject.remove(subject);
    }
  }

  /**
   * The members to remove at {@code nowMillis}, given the admitted {@code members} (the rule needs
   * them to know how many independent observers the cluster has). A member decided here is
   * forgotten by the rule. Decisions come in subject order, so every replica lists them alike.
   */
  public List<RemovalDecision> decide(long nowMillis, List<ControlMember> members) {
    Set<String> ids = new HashSet<>();
    members.forEach(m -> ids.add(m.id()));
    bySubject.keySet().retainAll(ids);
    List<RemovalDecision> decisions = new ArrayList<>();
    for (Map.Entry<String, SubjectSuspicions> e : bySubject.entrySet()) {
      e.getValue().retainObservers(ids);
      RemovalDecision d = decideOne(e.getKey(), e.getValue().standing(), nowMillis, ids.size());
      if (d != null) {
        decisions.add(d);
      }
    }
    decisions.forEach(d -> forget(d.memberId()));
    bySubject.values().removeIf(SubjectSuspicions::isEmpty);
    return decisions;
  }

  private RemovalDecision decideOne(
      String subject, List<Suspicion> standing, long nowMillis, int memberCount) {
    int possibleObservers = memberCount - 1;
    if (standing.isEmpty() || possibleObservers < 1) {
      return null;
    }
    if (possibleObservers == 1) {
      return stoodFor(standing, nowMillis, policy.suspicionTimeoutMillis())
          ? decision(subject, standing, "its only observer's suspicion reached the timeout")
          : null;
    }
    int required = Math.max(2, Math.min(policy.requiredObservers(), possibleObservers));
    List<Suspicion> healthy =
        standing.stream().filter(s -> s.localHealth() <= policy.maxLocalHealth()).toList();
    if (healthy.size() >= required && stoodFor(healthy, nowMillis, policy.confirmMillis())) {
      return decision(subject, healthy, healthy.size() + " healthy observers agree");
    }
    if (standing.size() >= required
        && stoodFor(standing, nowMillis, policy.suspicionTimeoutMillis())) {
      return decision(
          subject, standing, standing.size() + " observers agree past the suspicion timeout");
    }
    return null;
  }

  /** Whether the oldest of {@code suspicions} has stood at least {@code millis}. */
  private static boolean stoodFor(List<Suspicion> suspicions, long nowMillis, long millis) {
    long oldest = suspicions.stream().min(OLDEST_FIRST).orElseThrow().sinceMillis();
    return nowMillis - oldest >= millis;
  }

  private static RemovalDecision decision(String subject, List<Suspicion> by, String why) {
    long incarnation = by.stream().mapToLong(Suspicion::incarnation).max().orElseThrow();
    return new RemovalDecision(
        subject, incarnation, by.stream().map(Suspicion::observer).toList(), why);
  }

  /** Drops every suspicion of, and by, {@code memberId} (it left or was removed). */
  public void forget(String memberId) {
    bySubject.remove(memberId);
    bySubject.values().forEach(s -> s.forgetObserver(memberId));
    bySubject.values().removeIf(SubjectSuspicions::isEmpty);
  }

  /** How many observers' suspicions stand (refutation markers not counted). */
  public int standingSuspicions() {
    return bySubject.values().stream().mapToInt(SubjectSuspicions::size).sum();
  }

  /**
   * The standing suspicions and refutation markers ({@link Suspicion#isRefutation}), for snapshots,
   * in a deterministic order: by subject, its refutation first, then by observer.
   */
  public List<Suspicion> suspicions() {
    List<Suspicion> all = new ArrayList<>();
    bySubject.values().forEach(s -> all.addAll(s.entries()));
    return all;
  }

  /** Replaces the standing suspicions with a snapshot's (as {@link #suspicions} lists them). */
  public void restore(List<Suspicion> suspicions) {
    bySubject.clear();
    for (Suspicion entry : suspicions) {
      bySubject
          .computeIfAbsent(
              entry.subject(), k -> new SubjectSuspicions(k, MAX_OBSERVERS_PER_SUBJECT))
          .restore(entry);
    }
  }
}
