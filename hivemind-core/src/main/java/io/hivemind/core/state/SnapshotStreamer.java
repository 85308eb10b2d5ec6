package io.hivemind.core.state;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which (partition, copy) snapshots the owner still has to send and which are being sent, so that
 * at most {@code maxParallelStreams} are in flight at once (a migration must not swamp the links
 * that carry live writes). First come, first started.
 */
final class SnapshotStreamer {

  /** A snapshot of {@code partition} for the member {@code target}. */
  record Stream(int partition, String target) {}

  private final int maxParallel;
  private final Set<Stream> queued = new LinkedHashSet<>();
  private final Set<Stream> active = new HashSet<>();

  SnapshotStreamer(int maxParallel) {
    this.maxParallel = maxParallel;
  }

  void enqueue(int partition, String target) {
    Stream s = new Stream(partition, target);
    if (!active.contains(s)) {
      queued.add(s);
    }
  }

  /** The next stream to start, now counted active; null when none may start. */
  Stream next() {
    if (active.size() >= maxParallel || queued.isEmpty()) {
      return null;
    }
    Iterator<Stream> it = queued.iterator();
    Stream s = it.next();
    it.remove();
    active.add(s);
    return s;
  }

  void finished(int partition, String target) {
    active.remove(new Stream(partition, target));
  }

  void cancel(int partition, String target) {
    Stream s = new Stream(partition, target);
    queued.remove(s);
    active.remove(s);
  }

  void cancelPartition(int partition) {
    queued.removeIf(s -> s.partition() == partition);
    active.removeIf(s -> s.partition() == partition);
  }

  List<Stream> active() {
    return new ArrayList<>(active);
  }

  int activeCount() {
    return active.size();
  }
}
