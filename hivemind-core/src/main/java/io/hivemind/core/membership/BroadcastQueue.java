package io.hivemind.core.membership;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Updates waiting to be piggybacked (SWIM §4.1; memberlist {@code TransmitLimitedQueue}).
 *
 * <p>Each update is keyed by the member it is about; a newer update about the same member replaces
 * the older one, which is then never sent again. Updates go out fewest-sent first and, among
 * equals, newest first, so fresh news overtakes news most members already heard. An update is
 * dropped after it was sent {@code retransmitLimit} times; the limit grows with log(N) so that the
 * probability of a member missing it stays constant as the cluster grows.
 *
 * <p>Owned by the node's thread.
 */
final class BroadcastQueue {

  /** The smallest message worth looking for once a packet is nearly full. */
  private static final int MIN_MESSAGE_BYTES = 8;

  /**
   * Updates in a row that did not fit after which the packet counts as full: scanning a long queue
   * for one small enough for the last few bytes costs more than those bytes are worth.
   */
  private static final int MAX_MISSES = 16;

  private static final Comparator<Entry> SEND_ORDER =
      Comparator.comparingInt((Entry e) -> e.transmits)
          .thenComparing(Comparator.comparingLong((Entry e) -> e.id).reversed());

  private static final class Entry {
    final String key;
    final EncodedMessage message;
    final int wireSize;
    final Runnable onDone;
    final long id;
    int transmits;

    Entry(String key, EncodedMessage message, Runnable onDone, long id) {
      this.key = key;
      this.message = message;
      this.wireSize = message.fieldSize();
      this.onDone = onDone;
      this.id = id;
    }
  }

  private final TreeSet<Entry> ordered = new TreeSet<>(SEND_ORDER);
  private final Map<String, Entry> byKey = new HashMap<>();
  private final int maxQueued;
  private long nextId;

  /**
   * @param maxQueued most updates kept; past it the most-sent (and, among equals, oldest) are
   *     dropped, as Serf prunes its queues: they are the ones most members already heard
   */
  BroadcastQueue(int maxQueued) {
    this.maxQueued = maxQueued;
  }

  /** Queues an update about {@code key}, replacing any older one about the same member. */
  void queue(String key, EncodedMessage message) {
    queue(key, message, null);
  }

  /**
   * Queues an update; {@code onDone} runs once it has been sent {@code retransmitLimit} times or
   * replaced by a newer update.
   */
  void queue(String key, EncodedMessage message, Runnable onDone) {
    Entry previous = byKey.remove(key);
    if (previous != null) {
      ordered.remove(previous);
      finish(previous);
    }
    Entry entry = new Entry(key, message, onDone, nextId++);
    byKey.put(key, entry);
    ordered.add(entry);
    while (byKey.size() > maxQueued && prune()) {
      // dropped the most-heard update nobody waits on
    }
  }

  /**
   * Drops the most-sent (and, among equals, oldest) update that has no {@code onDone}. The one with
   * an {@code onDone} is the local node's Left, which its leave waits for: dropping it (or running
   * its onDone) would end the leave before it spread, turning it into a detected failure.
   */
  private boolean prune() {
    Iterator<Entry> mostHeard = ordered.descendingIterator();
    while (mostHeard.hasNext()) {
      Entry entry = mostHeard.next();
      if (entry.onDone == null) {
        mostHeard.remove();
        byKey.remove(entry.key);
        return true;
      }
    }
    return false;
  }

  /**
   * Takes the updates that fit in {@code bytesAvailable} bytes of a packet (each counted with its
   * field overhead), marking each as sent once more.
   */
  List<EncodedMessage> take(int bytesAvailable, int retransmitLimit) {
    List<Entry> taken = new ArrayList<>();
    int left = bytesAvailable;
    int misses = 0;
    for (Entry entry : ordered) {
      if (left < MIN_MESSAGE_BYTES || misses >= MAX_MISSES) {
        break;
      }
      if (entry.wireSize <= left) {
        taken.add(entry);
        left -= entry.wireSize;
        misses = 0;
      } else {
        misses++;
      }
    }
    List<EncodedMessage> messages = new ArrayList<>(taken.size());
    for (Entry entry : taken) {
      messages.add(entry.message);
      ordered.remove(entry);
      entry.transmits++;
      if (entry.transmits >= retransmitLimit) {
        byKey.remove(entry.key);
        finish(entry);
      } else {
        ordered.add(entry);
      }
    }
    return messages;
  }

  int size() {
    return byKey.size();
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  private static void finish(Entry entry) {
    if (entry.onDone != null) {
      entry.onDone.run();
    }
  }
}
