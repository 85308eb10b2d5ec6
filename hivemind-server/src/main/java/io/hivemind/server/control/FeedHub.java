package io.hivemind.server.control;

import io.hivemind.core.control.ControlSnapshot;
import io.hivemind.core.control.WireControlCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans a node's committed log out to its subscribers ({@link CommittedLog#follow}): a window of the
 * most recent entries for subscribers that are a little behind, the latest snapshot for the rest,
 * and every new entry to every subscriber as it is published. Raft's own answer to a follower too
 * far behind (snapshot, then the log suffix; Raft §7), applied to the feed.
 *
 * <p>Invariant: the window holds every entry above the latest snapshot's index, so a subscriber is
 * always served by the window alone or by the snapshot then the window. The window is trimmed to
 * {@link #retainedEntries} entries, but never below the snapshot: the owner publishes a snapshot at
 * least every {@link #retainedEntries} entries (see {@link #entriesSinceSnapshot}) to keep the
 * memory bounded.
 *
 * <p>Thread-safe behind one lock: the applying thread publishes, gateway threads subscribe and
 * close. Sinks are called with the lock held, so they must queue and return (a gateway's sink
 * writes to its channel). A sink that throws is dropped; the others carry on.
 */
public final class FeedHub {

  /**
   * Enough for a follower that missed ~30 s of a busy log (300 fsynced commits/s, the issue's
   * measure) to catch up without a snapshot; at ~200 bytes an entry it costs ~2 MB.
   */
  public static final int DEFAULT_RETAINED_ENTRIES = 10_000;

  private static final Logger log = LoggerFactory.getLogger(FeedHub.class);

  private final int retainedEntries;
  private final ArrayDeque<byte[]> window = new ArrayDeque<>();
  private final Set<Subscriber> subscribers = new LinkedHashSet<>();
  private long firstIndex = 1;
  private long lastIndex;
  private long snapshotIndex;
  private ControlSnapshot snapshot;
  private byte[] snapshotBytes;

  public FeedHub(int retainedEntries) {
    if (retainedEntries < 1) {
      throw new IllegalArgumentException(
          "retainedEntries must be at least 1, got " + retainedEntries);
    }
    this.retainedEntries = retainedEntries;
  }

  public int retainedEntries() {
    return retainedEntries;
  }

  /**
   * Publishes the committed entry at {@code index}, the one after the last published (or the
   * snapshot's), and sends it to every subscriber not already past it.
   *
   * @throws IllegalArgumentException when {@code index} is not the next one (a gap would lose
   *     entries for every follower)
   */
  public synchronized void publish(long index, byte[] entryBytes) {
    if (index != lastIndex + 1) {
      throw new IllegalArgumentException(
          "published entry " + index + " is not the next one (" + (lastIndex + 1) + ")");
    }
    window.addLast(entryBytes);
    lastIndex = index;
    trim();
    for (Iterator<Subscriber> it = subscribers.iterator(); it.hasNext(); ) {
      Subscriber subscriber = it.next();
      if (subscriber.position < index && !subscriber.deliver(index, entryBytes)) {
        it.remove();
      }
    }
  }

  /**
   * Records the state at {@code index}. At or below the last published index it only lets the
   * window shrink. Above it (the node installed a snapshot from the leader, or starts from one) the
   * window restarts there, and every subscriber behind it gets the snapshot.
   */
  public synchronized void snapshotTaken(long index, ControlSnapshot taken) {
    if (index < snapshotIndex) {
      return; // an older snapshot than the one we have: nothing to gain
    }
    snapshotIndex = index;
    snapshot = taken;
    snapshotBytes = null; // encoded when a subscriber first needs it
    if (index > lastIndex) {
      window.clear();
      firstIndex = index + 1;
      lastIndex = index;
      subscribers.removeIf(s -> s.position < index && !s.deliverSnapshot(this));
    }
    trim();
  }

  /**
   * Entries published since the latest snapshot: the owner takes one before this passes the cap.
   */
  public synchronized long entriesSinceSnapshot() {
    return lastIndex - snapshotIndex;
  }

  /** The last published index. */
  public synchronized long lastIndex() {
    return lastIndex;
  }

  /** The lowest index still in the window (one above the last when the window is empty). */
  public synchronized long firstRetainedIndex() {
    return firstIndex;
  }

  public synchronized int subscribers() {
    return subscribers.size();
  }

  /** See {@link CommittedLog#follow}. */
  public synchronized Subscription follow(long afterIndex, FeedSink sink) {
    if (afterIndex < 0) {
      throw new IllegalArgumentException("afterIndex must be 0 or more, got " + afterIndex);
    }
    Subscriber subscriber = new Subscriber(sink, afterIndex);
    boolean alive =
        afterIndex >= firstIndex - 1 ? subscriber.replay(this) : subscriber.deliverSnapshot(this);
    if (alive) {
      subscribers.add(subscriber);
    }
    return () -> unsubscribe(subscriber);
  }

  private synchronized void unsubscribe(Subscriber subscriber) {
    subscribers.remove(subscriber);
  }

  private void trim() {
    while (window.size() > retainedEntries && firstIndex <= snapshotIndex) {
      window.removeFirst();
      firstIndex++;
    }
  }

  private byte[] snapshotBytes() {
    if (snapshotBytes == null) {
      snapshotBytes = WireControlCodec.encodeSnapshot(snapshot);
    }
    return snapshotBytes;
  }

  private List<byte[]> entriesAbove(long index) {
    List<byte[]> entries = new ArrayList<>();
    long at = firstIndex;
    for (byte[] entry : window) {
      if (at++ > index) {
        entries.add(entry);
      }
    }
    return entries;
  }

  /** One subscription: its sink and the last index it was given. Guarded by the hub's lock. */
  private static final class Subscriber {
    final FeedSink sink;
    long position;

    Subscriber(FeedSink sink, long position) {
      this.sink = sink;
      this.position = position;
    }

    /** The retained entries above its position. */
    boolean replay(FeedHub hub) {
      long index = position;
      for (byte[] entry : hub.entriesAbove(position)) {
        if (!deliver(++index, entry)) {
          return false;
        }
      }
      return true;
    }

    /** The snapshot, then the window (which holds every entry above it). */
    boolean deliverSnapshot(FeedHub hub) {
      try {
        sink.snapshot(hub.snapshotIndex, hub.snapshot, hub.snapshotBytes());
      } catch (RuntimeException e) {
        return dropped(e);
      }
      position = hub.snapshotIndex;
      return replay(hub);
    }

    boolean deliver(long index, byte[] entry) {
      try {
        sink.entry(index, entry);
      } catch (RuntimeException e) {
        return dropped(e);
      }
      position = index;
      return true;
    }

    private boolean dropped(RuntimeException e) {
      log.warn("dropped a follow-feed subscriber whose sink failed", e);
      return false;
    }
  }
}
