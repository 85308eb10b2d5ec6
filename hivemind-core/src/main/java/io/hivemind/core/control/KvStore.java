package io.hivemind.core.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The KV store with Consul's semantics: keys sorted, create and modify indexes are log indexes,
 * compare-and-set on the modify index ({@code cas} 0: only when absent), recursive delete of a
 * prefix. Each operation checks first and changes only when it succeeds.
 *
 * <p>Not thread-safe: part of {@link ControlState}, owned by its thread.
 */
final class KvStore {

  private final TreeMap<String, KvEntry> entries;
  private NavigableMap<String, KvEntry> published;

  KvStore(NavigableMap<String, KvEntry> entries) {
    this.entries = new TreeMap<>(entries);
  }

  /**
   * Sets a key at {@code index}.
   *
   * @return null, or the refusal message when the compare-and-set fails
   */
  String set(ControlCommand.KvSet set, long index) {
    KvEntry current = entries.get(set.key());
    String mismatch = casMismatch(set.key(), current, set.casIndex(), true);
    if (mismatch != null) {
      return mismatch;
    }
    long createIndex = current == null ? index : current.createIndex();
    entries.put(set.key(), new KvEntry(set.key(), set.value(), set.flags(), createIndex, index));
    published = null;
    return null;
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
      doomed.forEach(entries::remove);
      published = doomed.isEmpty() ? published : null;
      return null;
    }
    KvEntry current = entries.get(delete.key());
    if (current == null) {
      return null;
    }
    String mismatch = casMismatch(delete.key(), current, delete.casIndex(), false);
    if (mismatch != null) {
      return mismatch;
    }
    entries.remove(delete.key());
    published = null;
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

  /** The keys starting with {@code prefix}, in order. */
  private NavigableMap<String, KvEntry> prefixed(String prefix) {
    if (prefix.isEmpty()) {
      return entries;
    }
    String next = nextPrefix(prefix);
    return next == null ? entries.tailMap(prefix, true) : entries.subMap(prefix, true, next, false);
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

  /** An unmodifiable copy, the same one until the next change. */
  NavigableMap<String, KvEntry> view() {
    if (published == null) {
      published = Collections.unmodifiableNavigableMap(new TreeMap<>(entries));
    }
    return published;
  }
}
