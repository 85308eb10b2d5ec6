package io.hivemind.core.control;

import io.hivemind.core.collect.SortedTree;
import io.hivemind.core.collect.SortedTreeMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The sessions of the replicated state, the lock delays their invalidations left on keys, and the
 * sessions' clock (the time of the last entry applied). Immutable: a change returns a new table and
 * shares the rest, so a view per apply costs nothing (persistent trees, {@link SortedTree}).
 *
 * <p>Design note. Time is the entries' (the proposer's clock), so every replica expires the same
 * sessions at the same index. A TTL counts only time the control plane could have heard a renewal:
 * while TTL sessions exist the leader commits a tick every second, so a gap of more than {@link
 * #OUTAGE_MILLIS} between two entries means there was no leader, and {@link #atTime} moves every
 * TTL session's renewal on by the gap. Consul does the same by restarting every TTL timer on a new
 * leader: a client that could not renew during an election is not punished for it.
 */
public final class SessionTable {

  /** A gap between two entries longer than this is time without a leader. */
  public static final long OUTAGE_MILLIS = 5_000;

  /** The table of a state with no session. */
  public static final SessionTable EMPTY = new SessionTable(null, null, 0, 0);

  private final SortedTree<Session> sessions;
  private final SortedTree<Long> lockDelays;
  private final long clockMillis;
  private final int withTtl;
  private NavigableMap<String, Session> sessionView;

  private SessionTable(
      SortedTree<Session> sessions, SortedTree<Long> lockDelays, long clockMillis, int withTtl) {
    this.sessions = sessions;
    this.lockDelays = lockDelays;
    this.clockMillis = clockMillis;
    this.withTtl = withTtl;
  }

  /** A table holding {@code sessions} and {@code lockDelays} (key: until millis) at a clock. */
  public static SessionTable of(
      Iterable<Session> sessions, Map<String, Long> lockDelays, long clockMillis) {
    SortedTree<Session> tree = null;
    int withTtl = 0;
    for (Session session : sessions) {
      tree = SortedTree.put(tree, session.id(), session);
      withTtl += session.ttlMillis() > 0 ? 1 : 0;
    }
    SortedTree<Long> delays = null;
    for (Map.Entry<String, Long> delay : lockDelays.entrySet()) {
      delays = SortedTree.put(delays, delay.getKey(), delay.getValue());
    }
    return new SessionTable(tree, delays, clockMillis, withTtl);
  }

  /** The session with {@code id}, or null. */
  public Session get(String id) {
    return SortedTree.get(sessions, id);
  }

  /** Every session by id, unmodifiable. */
  public NavigableMap<String, Session> sessions() {
    if (sessionView == null) {
      sessionView = new SortedTreeMap<>(sessions);
    }
    return sessionView;
  }

  /** The lock delays by key: a key is not acquired before its time (entry millis). */
  public NavigableMap<String, Long> lockDelays() {
    return new SortedTreeMap<>(lockDelays);
  }

  /** The time of the last entry the table saw, 0 before any. */
  public long clockMillis() {
    return clockMillis;
  }

  /** How many sessions there are. */
  public int size() {
    return SortedTree.size(sessions);
  }

  /** Whether a session has a TTL: then the leader commits ticks so that it can expire. */
  public boolean hasTtl() {
    return withTtl > 0;
  }

  /** The time until which {@code key} may not be acquired, or 0. */
  public long lockDelayUntil(String key) {
    Long until = SortedTree.get(lockDelays, key);
    return until == null ? 0 : until;
  }

  /** The sessions bound to member {@code node}. */
  public List<Session> ofNode(String node) {
    List<Session> bound = new ArrayList<>();
    for (Session session : sessions().values()) {
      if (session.node().equals(node)) {
        bound.add(session);
      }
    }
    return bound;
  }

  /** The TTL sessions that have run out at {@code timeMillis}. */
  public List<Session> expiredAt(long timeMillis) {
    List<Session> expired = new ArrayList<>();
    if (withTtl == 0) {
      return expired;
    }
    for (Session session : sessions().values()) {
      if (session.expiredAt(timeMillis)) {
        expired.add(session);
      }
    }
    return expired;
  }

  /** With {@code session} added, or replacing the one with its id. */
  SessionTable with(Session session) {
    Session old = get(session.id());
    int ttl = withTtl - (old != null && old.ttlMillis() > 0 ? 1 : 0);
    ttl += session.ttlMillis() > 0 ? 1 : 0;
    return new SessionTable(
        SortedTree.put(sessions, session.id(), session), lockDelays, clockMillis, ttl);
  }

  /** Without the session {@code id}. */
  SessionTable without(String id) {
    Session old = get(id);
    if (old == null) {
      return this;
    }
    return new SessionTable(
        SortedTree.remove(sessions, id),
        lockDelays,
        clockMillis,
        withTtl - (old.ttlMillis() > 0 ? 1 : 0));
  }

  /** With {@code key} not to be acquired before {@code untilMillis} (a later delay wins). */
  SessionTable withLockDelay(String key, long untilMillis) {
    if (untilMillis <= lockDelayUntil(key)) {
      return this;
    }
    return new SessionTable(
        sessions, SortedTree.put(lockDelays, key, untilMillis), clockMillis, withTtl);
  }

  /**
   * The table at an entry of time {@code timeMillis}: the clock moves on (never back: leaders'
   * clocks differ), and after a gap longer than {@link #OUTAGE_MILLIS} every TTL session's renewal
   * moves on by the gap.
   */
  SessionTable atTime(long timeMillis) {
    if (timeMillis <= clockMillis) {
      return this;
    }
    SortedTree<Session> shifted = sessions;
    long gap = timeMillis - clockMillis;
    if (clockMillis > 0 && gap > OUTAGE_MILLIS && withTtl > 0) {
      for (Session session : sessions().values()) {
        if (session.ttlMillis() > 0) {
          shifted =
              SortedTree.put(
                  shifted, session.id(), session.renewedAt(session.renewedAtMillis() + gap));
        }
      }
    }
    return new SessionTable(shifted, lockDelays, timeMillis, withTtl);
  }

  /** Without the lock delays that ended by {@code timeMillis} (an ended one is harmless). */
  SessionTable withoutLockDelaysEndedBy(long timeMillis) {
    SortedTree<Long> delays = lockDelays;
    for (Map.Entry<String, Long> delay : lockDelays().entrySet()) {
      if (delay.getValue() <= timeMillis) {
        delays = SortedTree.remove(delays, delay.getKey());
      }
    }
    return delays == lockDelays ? this : new SessionTable(sessions, delays, clockMillis, withTtl);
  }

  /** Equal when the sessions, the lock delays and the clock are. */
  @Override
  public boolean equals(Object other) {
    return other instanceof SessionTable that
        && clockMillis == that.clockMillis
        && sessions().equals(that.sessions())
        && lockDelays().equals(that.lockDelays());
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(sessions(), lockDelays(), clockMillis);
  }

  @Override
  public String toString() {
    return "SessionTable[sessions="
        + size()
        + ", lockDelays="
        + SortedTree.size(lockDelays)
        + ", clockMillis="
        + clockMillis
        + "]";
  }
}
