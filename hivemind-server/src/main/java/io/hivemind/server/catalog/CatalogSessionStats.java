package io.hivemind.server.catalog;

import io.hivemind.core.catalog.SessionRefusal;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the catalogue session service, for metrics and tests. Thread-safe. */
public final class CatalogSessionStats {

  private final AtomicLongArray refused = new AtomicLongArray(SessionRefusal.values().length);
  private final LongAdder opened = new LongAdder();
  private final LongAdder resumed = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder denied = new LongAdder();
  private volatile int sessions;

  void countRefusal(SessionRefusal code) {
    refused.incrementAndGet(code.ordinal());
  }

  void countOpened() {
    opened.increment();
  }

  void countResumed() {
    resumed.increment();
  }

  void countExpired(int count) {
    expired.add(count);
  }

  void countMalformed() {
    malformed.increment();
  }

  void countDenied() {
    denied.increment();
  }

  void setSessions(int count) {
    sessions = count;
  }

  /** Hellos refused for {@code code}. */
  public long refused(SessionRefusal code) {
    return refused.get(code.ordinal());
  }

  public long opened() {
    return opened.sum();
  }

  public long resumed() {
    return resumed.sum();
  }

  /** Sessions whose grace ran out (their instances were deleted). */
  public long expired() {
    return expired.sum();
  }

  /** Frames that were not valid session frames (the connection was closed). */
  public long malformed() {
    return malformed.sum();
  }

  /** Registers refused by ACLs (answered {@code DENIED}). */
  public long denied() {
    return denied.sum();
  }

  /** Sessions held now, connected or within their grace. */
  public int sessions() {
    return sessions;
  }
}
