package io.hivemind.control;

import io.hivemind.core.control.ControlView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the latest {@link ControlView} to readers: one volatile field read without locks, futures
 * waiting for an index, and listeners called with each new view.
 *
 * <p>{@link #publish} is called by the state machine's apply thread only; the other methods from
 * any thread. The waiters' map is guarded by {@code this}; futures and listeners run outside it.
 */
final class ViewPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(ViewPublisher.class);

  private volatile ControlView current;
  private final NavigableMap<Long, List<CompletableFuture<ControlView>>> waiters = new TreeMap<>();
  private final List<Consumer<ControlView>> listeners = new CopyOnWriteArrayList<>();

  ViewPublisher(ControlView initial) {
    this.current = Objects.requireNonNull(initial, "initial");
  }

  ControlView current() {
    return current;
  }

  /** Publishes {@code view}, completes the futures it satisfies, then tells the listeners. */
  void publish(ControlView view) {
    current = view;
    List<CompletableFuture<ControlView>> due = new ArrayList<>();
    synchronized (this) {
      NavigableMap<Long, List<CompletableFuture<ControlView>>> below =
          waiters.headMap(view.index(), false);
      below.values().forEach(due::addAll);
      below.clear();
    }
    due.forEach(f -> f.complete(view));
    for (Consumer<ControlView> listener : listeners) {
      try {
        listener.accept(view);
      } catch (RuntimeException e) {
        // A broken listener must not stop the replica from applying entries.
        LOG.warn("control view listener failed at index {}", view.index(), e);
      }
    }
  }

  /** Completes with the first view whose index is above {@code index}. */
  CompletableFuture<ControlView> awaitIndexAbove(long index) {
    ControlView now = current;
    if (now.index() > index) {
      return CompletableFuture.completedFuture(now);
    }
    CompletableFuture<ControlView> future = new CompletableFuture<>();
    synchronized (this) {
      waiters.computeIfAbsent(index, k -> new ArrayList<>()).add(future);
    }
    // A view published between the first read and the registration must not be missed.
    ControlView after = current;
    if (after.index() > index) {
      future.complete(after);
    }
    return future;
  }

  void addListener(Consumer<ControlView> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Fails every waiting future: the replica is closing and will publish no more views. */
  void close(RuntimeException why) {
    List<CompletableFuture<ControlView>> all = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<Long, List<CompletableFuture<ControlView>>> e : waiters.entrySet()) {
        all.addAll(e.getValue());
      }
      waiters.clear();
    }
    all.forEach(f -> f.completeExceptionally(why));
  }
}
