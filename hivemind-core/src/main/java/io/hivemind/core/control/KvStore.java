package io.hivemind.core.control;

import io.hivemind.core.collect.SortedTree;
import io.hivemind.core.collect.SortedTreeMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The KV store with Consul's semantics: keys sorted, create and modify indexes are log indexes,
 * compare-and-set on the modify index ({@code cas} 0: only when absent), recursive delete of a
 * prefix. Each operation checks first and changes only when it succeeds.
 *
 * <p>The entries live in a persistent tree ({@link SortedTree}): a write costs O(log n) and a
 * published view is the root of the moment, O(1), so a view after every write stays cheap however
 * large the store grows.
 *
 * <p>Not thread-safe: part of {@link ControlState}, owned by its thread.
 */
final class KvStore {

  private SortedTree<KvEntry> entries;
  private NavigableMap<String, KvEntry> published;

  KvStore(Map<String, KvEntry> initial) {
    initial.forEach((key, entry) -> entries = SortedTree.put(entries, key, entry));
  }

  /**
   * Sets a key at {@code index}.
   *
   * @return null, or the refusal message when the compare-and-set fails
   */
  String set(ControlCommand.KvSet set, long index) {
    KvEntry current = get(set.key());
    String mismatch = casMismatch(set.key(), current, set.casIndex(), true);
    if (mismatch != null) {
      return mismatch;
    }
    long createIndex = current == null ? index : current.createIndex();
    // A plain write keeps the key's lock, as Consul's does: only a release or the holder's end
    // gives it back.
    long lockIndex = current == null ? 0 : current.lockIndex();
    String session = current == null ? "" : current.session();
    put(new KvEntry(set.key(), set.value(), set.flags(), createIndex, index, lockIndex, session));
    return null;
  }

  /**
   * Acquires or releases a key's lock for a session that exists, at {@code index} (Consul's {@code
   * kvsLockTxn} and {@code kvsUnlockTxn}). An acquire by the holder only updates the value and
   * flags; a new holder raises the lock index.
   *
   * @param lockDelayUntil the time until which the key may not be acquired, 0 for none
   * @param timeMillis the entry's time
   * @return null, or why the lock was refused
   */
  String lock(ControlCommand.KvLock lock, long index, long lockDelayUntil, long timeMillis) {
    KvEntry current = get(lock.key());
    String holder = current == null ? "" : current.session();
    long createIndex = current == null ? index : current.createIndex();
    long lockIndex = current == null ? 0 : current.lockIndex();
    if (lock.acquire()) {
      if (!holder.isEmpty() && !holder.equals(lock.session())) {
        return "KV key " + ControlFieldRules.shown(lock.key()) + " is locked by session " + holder;
      }
      if (holder.isEmpty() && timeMillis < lockDelayUntil) {
        return "KV key "
            + ControlFieldRules.shown(lock.key())
            + " is in its lock delay for "
            + (lockDelayUntil - timeMillis)
            + " ms more";
      }
      long next = holder.isEmpty() ? lockIndex + 1 : lockIndex;
      put(
          new KvEntry(
              lock.key(), lock.value(), lock.flags(), createIndex, index, next, lock.session()));
      return null;
    }
    if (!holder.equals(lock.session())) {
      return "KV key "
          + ControlFieldRules.shown(lock.key())
          + (holder.isEmpty() ? " is not locked" : " is locked by session " + holder)
          + ", not by "
          + lock.session();
    }
    put(new KvEntry(lock.key(), lock.value(), lock.flags(), createIndex, index, lockIndex, ""));
    return null;
  }

  /**
   * Ends session {@code session}'s locks at {@code index}: releases every key it holds, or deletes
   * them ({@link SessionBehavior#DELETE}).
   *
   * @return the keys it held
   */
  List<String> endLocks(String session, SessionBehavior behavior, long index) {
    List<KvEntry> held = new ArrayList<>();
    for (KvEntry entry : view().values()) {
      if (entry.session().equals(session)) {
        held.add(entry);
      }
    }
    List<String> keys = new ArrayList<>(held.size());
    for (KvEntry entry : held) {
      if (behavior == SessionBehavior.DELETE) {
        remove(entry.key());
      } else {
        put(
            new KvEntry(
                entry.key(),
                entry.value(),
                entry.flags(),
                entry.createIndex(),
                index,
                entry.lockIndex(),
                ""));
      }
      keys.add(entry.key());
    }
    return keys;
  }

  private void put(KvEntry entry) {
    entries = SortedTree.put(entries, entry.key(), entry);
    published = null;
  }

  private void remove(String key) {
    entries = SortedTree.remove(entries, key);
    published = null;
  }

  /**
   * Deletes a key, or every key starting with it when recursing. Deleting an absent key succeeds
   * and changes nothing, as in Consul; so does a compare-and-set on an absent key (Consul's {@code
   * kvsDeleteCASTxn}).
   *
   * @return null, or the refusal message when the compare-and-set fails
   */
  String delete(ControlCommand.KvDelete delete) {
    if (delete.recurse()) {
      List<String> doomed = new ArrayList<>(prefixed(delete.key()).keySet());
      doomed.forEach(key -> entries = SortedTree.remove(entries, key));
      published = doomed.isEmpty() ? published : null;
      return null;
    }
    KvEntry current = get(delete.key());
    if (current == null) {
      return null;
    }
    String mismatch = casMismatch(delete.key(), current, delete.casIndex(), false);
    if (mismatch != null) {
      return mismatch;
    }
    remove(delete.key());
    return null;
  }

  private static String casMismatch(String key, KvEntry current, long cas, boolean zeroAbsent) {
    if (cas == -1) {
      return null;
    }
    long actual = current == null ? 0 : current.modifyIndex();
    if (cas == actual && (current != null || zeroAbsent)) {
      return null;
    }
    return "KV key "
        + ControlFieldRules.shown(key)
        + (current == null ? " is absent" : " has modify index " + actual)
        + ", not "
        + cas;
  }

  /** The entry at {@code key}, or null. */
  KvEntry get(String key) {
    return SortedTree.get(entries, key);
  }

  /** The entries whose key starts with {@code prefix}, in key order: a view, not a copy. */
  Iterable<KvEntry> under(String prefix) {
    return prefixed(prefix).values();
  }

  /**
   * The store as it is now, to {@link #restore} when a transaction fails part-way: the tree is
   * persistent, so keeping its root keeps this state whatever changes after.
   */
  Mark mark() {
    return new Mark(entries);
  }

  /** Back to the state {@code mark} kept. */
  void restore(Mark mark) {
    SortedTree<KvEntry> kept = mark.entries;
    if (kept != entries) {
      entries = kept;
      published = null;
    }
  }

  /** A state of the store, kept by {@link #mark}. */
  record Mark(SortedTree<KvEntry> entries) {}

  /** The keys starting with {@code prefix}, in order. */
  private NavigableMap<String, KvEntry> prefixed(String prefix) {
    return prefixed(view(), prefix);
  }

  /** The entries of {@code all} whose key starts with {@code prefix}: a view, in order. */
  static NavigableMap<String, KvEntry> prefixed(NavigableMap<String, KvEntry> all, String prefix) {
    if (prefix.isEmpty()) {
      return all;
    }
    String next = nextPrefix(prefix);
    return next == null ? all.tailMap(prefix, true) : all.subMap(prefix, true, next, false);
  }

  /**
   * The smallest string above every string starting with {@code prefix}: the prefix with its last
   * char raised, or null when every char is already the highest.
   */
  private static String nextPrefix(String prefix) {
    int end = prefix.length() - 1;
    while (end >= 0 && prefix.charAt(end) == Character.MAX_VALUE) {
      end--;
    }
    return end < 0 ? null : prefix.substring(0, end) + (char) (prefix.charAt(end) + 1);
  }

  /** An unmodifiable map of the entries as they are now, the same one until the next change. */
  NavigableMap<String, KvEntry> view() {
    if (published == null) {
      published = new SortedTreeMap<>(entries);
    }
    return published;
  }
}
