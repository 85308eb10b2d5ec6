package io.hivemind.core.control;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The removal rule's state about one subject: its observers' standing suspicions (at most {@link
 * #maxObservers}) and its latest refutation. Invariant: every standing suspicion's incarnation is
 * at least the refuted incarnation (older ones are cleared when a refutation is learnt, and stale
 * reports are ignored), so every suspicion kept is current.
 *
 * <p>Owned by the {@link RemovalRule}'s thread.
 */
final class SubjectSuspicions {

  /** Which suspicion to drop when the subject has too many: the least healthy, then the newest. */
  private static final Comparator<Suspicion> WORST_FIRST =
      Comparator.comparingInt(Suspicion::localHealth)
          .thenComparingLong(Suspicion::sinceMillis)
          .thenComparing(Suspicion::observer)
          .reversed();

  private final String subject;
  private final int maxObservers;
  private final TreeMap<String, Suspicion> byObserver = new TreeMap<>();
  private Suspicion refutation;

  SubjectSuspicions(String subject, int maxObservers) {
    this.subject = subject;
    this.maxObservers = maxObservers;
  }

  /** The observer's probe failed at the incarnation it knows. */
  void suspect(String observer, long incarnation, int localHealth, long nowMillis) {
    if (refutation != null && incarnation < refutation.incarnation()) {
      return; // the subject refuted that incarnation: the observer has not heard yet
    }
    refute(incarnation, nowMillis);
    Suspicion existing = byObserver.get(observer);
    if (existing != null && existing.incarnation() == incarnation) {
      // A repeated report keeps its start: re-reporting must not postpone the decision.
      byObserver.put(observer, withHealth(existing, localHealth));
      return;
    }
    Suspicion fresh = new Suspicion(subject, observer, incarnation, nowMillis, localHealth);
    if (existing == null && byObserver.size() >= maxObservers && !evictWorseThan(fresh)) {
      return;
    }
    byObserver.put(observer, fresh);
  }

  /** The subject answered the observer's probe, or the observer learnt of its refutation. */
  void alive(String observer, long incarnation, long nowMillis) {
    refute(incarnation, nowMillis);
    byObserver.remove(observer);
  }

  /**
   * A report at {@code incarnation} proves the subject refuted every lower one: suspicions below it
   * are stale. The refutation is remembered only when it cleared something (or raises one already
   * kept), so the state stays proportional to the suspicions, not to the members.
   */
  private void refute(long incarnation, long nowMillis) {
    boolean cleared = byObserver.values().removeIf(s -> s.incarnation() < incarnation);
    boolean raises = refutation != null && incarnation > refutation.incarnation();
    if (cleared || raises) {
      refutation = Suspicion.refutation(subject, incarnation, nowMillis);
    }
  }

  /** Keeps the bound: replaces the worst kept suspicion when {@code fresh} is strictly better. */
  private boolean evictWorseThan(Suspicion fresh) {
    Suspicion worst = byObserver.values().stream().min(WORST_FIRST).orElseThrow();
    if (fresh.localHealth() >= worst.localHealth()) {
      return false;
    }
    byObserver.remove(worst.observer());
    return true;
  }

  private static Suspicion withHealth(Suspicion s, int localHealth) {
    return new Suspicion(s.subject(), s.observer(), s.incarnation(), s.sinceMillis(), localHealth);
  }

  void forgetObserver(String observer) {
    byObserver.remove(observer);
  }

  void retainObservers(Set<String> memberIds) {
    byObserver.keySet().retainAll(memberIds);
  }

  /** Restores one snapshot entry (a suspicion or the refutation marker). */
  void restore(Suspicion entry) {
    if (entry.isRefutation()) {
      refutation = entry;
    } else if (byObserver.size() < maxObservers || byObserver.containsKey(entry.observer())) {
      byObserver.put(entry.observer(), entry);
    }
  }

  /** How many observers' suspicions stand. */
  int size() {
    return byObserver.size();
  }

  /** The standing suspicions, by observer. */
  List<Suspicion> standing() {
    return List.copyOf(byObserver.values());
  }

  /** The refutation marker first, then suspicions by observer: the snapshot order. */
  List<Suspicion> entries() {
    List<Suspicion> entries = new ArrayList<>(byObserver.size() + 1);
    if (refutation != null) {
      entries.add(refutation);
    }
    entries.addAll(byObserver.values());
    return entries;
  }

  boolean isEmpty() {
    return byObserver.isEmpty() && refutation == null;
  }
}
