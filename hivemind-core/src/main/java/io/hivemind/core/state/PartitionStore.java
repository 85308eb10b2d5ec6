package io.hivemind.core.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One partition's copy on one node: entries keyed by (map, key), the sequence number of the last
 * write applied, and the fence that keeps a stale owner's writes out once a newer owner has spoken.
 * Created only when the node first holds data for the partition (a node with 16,384 partitions
 * allocates nothing for those it never touched).
 *
 * <p>Owned by the {@link StateNode}'s thread. Invariant: every entry's version is at most {@link
 * #sequence()}.
 */
final class PartitionStore {

  private final Map<EntryKey, StoredEntry> entries = new HashMap<>();
  private long sequence;
  private long fenceVersion;
  private String fenceSender = "";

  /** The entry if it is live at {@code nowMillis}, else null (an expired entry is absent). */
  StoredEntry live(String map, String key, long nowMillis) {
    StoredEntry entry = entries.get(new EntryKey(map, key));
    return entry != null && entry.liveAt(nowMillis) ? entry : null;
  }

  long sequence() {
    return sequence;
  }

  /** Applies write {@code version} (null value: a removal) and advances the sequence to it. */
  void apply(String map, String key, byte[] value, long version, long expiresAtMillis) {
    EntryKey at = new EntryKey(map, key);
    if (value == null) {
      entries.remove(at);
    } else {
      entries.put(at, new StoredEntry(value, version, expiresAtMillis));
    }
    sequence = Math.max(sequence, version);
  }

  /** Replaces the whole copy with a snapshot's (a destination or a resynced backup). */
  void replace(List<StateEntry> snapshot, long snapshotSequence) {
    entries.clear();
    for (StateEntry e : snapshot) {
      entries.put(
          new EntryKey(e.map(), e.key()),
          new StoredEntry(e.value(), e.version(), e.expiresAtMillis()));
    }
    sequence = snapshotSequence;
  }

  /** The live entries cut into chunks of at most {@code chunkBytes} (at least one chunk). */
  List<List<StateEntry>> chunks(int chunkBytes, long nowMillis) {
    List<List<StateEntry>> chunks = new ArrayList<>();
    List<StateEntry> current = new ArrayList<>();
    int bytes = 0;
    for (Map.Entry<EntryKey, StoredEntry> e : entries.entrySet()) {
      StoredEntry v = e.getValue();
      if (!v.liveAt(nowMillis)) {
        continue;
      }
      StateEntry entry =
          new StateEntry(
              e.getKey().map(), e.getKey().key(), v.value(), v.version(), v.expiresAtMillis());
      if (!current.isEmpty()
          && (bytes + entry.sizeBytes() > chunkBytes
              || current.size() >= WireStateCodec.MAX_CHUNK_ENTRIES)) {
        chunks.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(entry);
      bytes += entry.sizeBytes();
    }
    chunks.add(current);
    return chunks;
  }

  /**
   * Whether a write from {@code sender} made at table {@code tableVersion} may apply: once a newer
   * owner has sent this copy anything, an older owner's writes are refused (they would reuse its
   * sequence numbers).
   */
  boolean admits(String sender, long tableVersion) {
    if (tableVersion < fenceVersion && !sender.equals(fenceSender)) {
      return false;
    }
    if (tableVersion >= fenceVersion) {
      fenceVersion = tableVersion;
      fenceSender = sender;
    }
    return true;
  }

  /** The newest table version a copy of this partition was sent at (0 before any). */
  long fenceVersion() {
    return fenceVersion;
  }

  /** Removes expired entries; returns how many entries it looked at. */
  int purgeExpired(long nowMillis) {
    int seen = entries.size();
    Iterator<StoredEntry> it = entries.values().iterator();
    while (it.hasNext()) {
      if (!it.next().liveAt(nowMillis)) {
        it.remove();
      }
    }
    return seen;
  }

  int size() {
    return entries.size();
  }
}
