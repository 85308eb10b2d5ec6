package io.hivemind.server.catalog;

import io.hivemind.core.catalog.CatalogView;
import io.hivemind.server.loop.DriverLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The blocking queries waiting for the catalogue's index to pass theirs: each completes with the
 * first snapshot above its index, or with the current one when its wait runs out (Consul's blocking
 * queries). Waiters are kept by index, so a change completes exactly those it satisfies.
 *
 * <p>Bounded: beyond {@code maxWaiters} a new query completes at once with the current snapshot (a
 * client then polls, which is slower but never exhausts memory). A waiter that times out is removed
 * with its timer, so none leaks.
 *
 * <p>Not thread-safe: one owning thread (the catalogue's loop).
 */
final class IndexWaiters {

  /** The most blocking queries held at once; each costs a future and a timer. */
  static final int DEFAULT_MAX_WAITERS = 10_000;

  /** Consul's cap on {@code wait}: longer ones are cut to it. */
  static final Duration MAX_WAIT = Duration.ofMinutes(10);

  private final DriverLoop loop;
  private final int maxWaiters;
  private final Supplier<CatalogView> current;
  private final NavigableMap<Long, Set<Waiter>> byIndex = new TreeMap<>();
  private int size;

  private final class Waiter {
    final long index;
    final CompletableFuture<CatalogView> future;
    DriverLoop.Scheduled timer;

    Waiter(long index, CompletableFuture<CatalogView> future) {
      this.index = index;
      this.future = future;
    }

    void timeOut() {
      if (forget(this)) {
        future.complete(current.get());
      }
    }
  }

  IndexWaiters(DriverLoop loop, int maxWaiters, Supplier<CatalogView> current) {
    if (maxWaiters < 0) {
      throw new IllegalArgumentException("maxWaiters must be >= 0: " + maxWaiters);
    }
    this.loop = loop;
    this.maxWaiters = maxWaiters;
    this.current = current;
  }

  /** Completes {@code future} once the index passes {@code index}, or after {@code wait}. */
  void await(long index, Duration wait, CompletableFuture<CatalogView> future) {
    CatalogView now = current.get();
    if (now.index() > index || wait.isZero() || wait.isNegative() || size >= maxWaiters) {
      future.complete(now);
      return;
    }
    Waiter waiter = new Waiter(index, future);
    byIndex.computeIfAbsent(index, i -> new LinkedHashSet<>()).add(waiter);
    size++;
    long millis = Math.min(wait.toMillis(), MAX_WAIT.toMillis());
    waiter.timer = loop.schedule(waiter::timeOut, millis);
  }

  /** Completes every waiter {@code view} satisfies (index below the view's). */
  void wake(CatalogView view) {
    NavigableMap<Long, Set<Waiter>> satisfied = byIndex.headMap(view.index(), false);
    if (satisfied.isEmpty()) {
      return;
    }
    List<Waiter> woken = new ArrayList<>();
    for (Set<Waiter> waiters : satisfied.values()) {
      woken.addAll(waiters);
    }
    satisfied.clear();
    size -= woken.size();
    for (Waiter waiter : woken) {
      waiter.timer.cancel();
      waiter.future.complete(view);
    }
  }

  /** Completes every waiter with {@code view} now (the catalogue is closing). */
  void completeAll(CatalogView view) {
    List<Waiter> all = new ArrayList<>();
    for (Map.Entry<Long, Set<Waiter>> entry : byIndex.entrySet()) {
      all.addAll(entry.getValue());
    }
    byIndex.clear();
    size = 0;
    for (Waiter waiter : all) {
      waiter.timer.cancel();
      waiter.future.complete(view);
    }
  }

  private boolean forget(Waiter waiter) {
    Set<Waiter> waiters = byIndex.get(waiter.index);
    if (waiters == null || !waiters.remove(waiter)) {
      return false;
    }
    if (waiters.isEmpty()) {
      byIndex.remove(waiter.index);
    }
    size--;
    return true;
  }

  /** Blocking queries waiting now. */
  int size() {
    return size;
  }
}
