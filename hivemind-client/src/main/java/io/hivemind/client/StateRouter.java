package io.hivemind.client;

import io.hivemind.api.StateKeys;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Client routing for the partitioned store (issue 13: "the Java client keeps the table and goes to
 * the owner directly (one hop), following a redirect when its table is stale").
 *
 * <p>Holds the latest partition-owners table it fetched (none until the first request asks for one:
 * fetched lazily) and decides where each request goes: to its partition's owner when the table
 * names one that is not known unreachable, else to the configured agent, which forwards. It
 * refreshes the table when an answer shows it stale (the agent forwarded, or its table is newer),
 * or an owner did not accept a connection; one refresh at a time, at most one a {@link
 * #MIN_REFRESH_INTERVAL}, so a burst of stale answers costs the agent one fetch. A fetched table
 * older than the one held is ignored.
 *
 * <p>Thread-safe: any thread routes; the table is a volatile immutable snapshot, the refresh state
 * is guarded by this object's lock, and the fetch runs outside it.
 */
final class StateRouter {

  /** Tables change on joins, leaves and completed moves: seconds apart, not milliseconds. */
  static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);

  /**
   * How long an owner that refused a connection is bypassed: one refresh interval, after which the
   * table (refreshed meanwhile) decides again.
   */
  static final Duration UNREACHABLE_FOR = MIN_REFRESH_INTERVAL;

  /**
   * Where one request goes, and the table version it was routed by (0: unrouted): {@code target}'s
   * HTTP API, or {@code binary}, its state client port, when the table names one (else null).
   */
  record Route(URI target, long tableVersion, boolean direct, InetSocketAddress binary) {}

  private final URI agent;
  private final Supplier<CompletableFuture<StateOwners>> fetch;
  private final LongSupplier nanoTime;
  private final Map<URI, Long> unreachableUntilNanos = new ConcurrentHashMap<>();

  private volatile StateOwners owners;

  // Guarded by this.
  private CompletableFuture<StateOwners> refreshing;
  private boolean refreshedOnce;
  private long lastRefreshNanos;

  /**
   * @param agent the configured agent: the fallback for every request
   * @param fetch fetches the agent's current owners table ({@code GET /v1/partitions/owners})
   * @param nanoTime a monotonic clock ({@code System::nanoTime})
   */
  StateRouter(URI agent, Supplier<CompletableFuture<StateOwners>> fetch, LongSupplier nanoTime) {
    this.agent = agent;
    this.fetch = fetch;
    this.nanoTime = nanoTime;
  }

  /** The configured agent. */
  URI agent() {
    return agent;
  }

  /** The table this router holds, if it fetched one. */
  Optional<StateOwners> owners() {
    return Optional.ofNullable(owners);
  }

  /** Where a request on {@code key} of {@code map} goes now; starts the first fetch if none ran. */
  Route route(String map, String key) {
    StateOwners table = owners;
    if (table == null) {
      refresh();
      return new Route(agent, 0, false, null);
    }
    int partition = StateKeys.partition(map, key, table.partitionCount());
    Optional<URI> owner = table.owner(partition);
    if (owner.isEmpty() || isUnreachable(owner.get())) {
      return new Route(agent, table.version(), false, null);
    }
    return new Route(owner.get(), table.version(), true, table.stateClient(partition).orElse(null));
  }

  /** The same request over HTTP only, after the binary connection failed it. */
  static Route overHttp(Route route) {
    return new Route(route.target(), route.tableVersion(), route.direct(), null);
  }

  /** The same request, sent to the configured agent, after its owner refused a connection. */
  Route fallback(Route failed) {
    return new Route(agent, failed.tableVersion(), false, null);
  }

  /**
   * Takes note of an answer's headers: refreshes when the agent forwarded the request (so this
   * table named the wrong owner) or holds a newer table than this one.
   *
   * @param forwarded whether {@code X-Hivemind-Forwarded: true} came back
   * @param answerTableVersion the answer's {@code X-Hivemind-Table-Version}, 0 when absent
   */
  void observe(boolean forwarded, long answerTableVersion) {
    StateOwners table = owners;
    long held = table == null ? 0 : table.version();
    if (forwarded || answerTableVersion > held) {
      refresh();
    }
  }

  /** An owner refused a connection: bypass it for a while and refresh the table. */
  void unreachable(URI owner) {
    unreachableUntilNanos.put(owner, nanoTime.getAsLong() + UNREACHABLE_FOR.toNanos());
    refresh();
  }

  /**
   * Starts a refresh unless one is running or the last started less than {@link
   * #MIN_REFRESH_INTERVAL} ago.
   *
   * @return the running refresh, or a completed future of the table held (maybe null) when none
   *     starts; never completes exceptionally (a failed fetch keeps the table held)
   */
  CompletableFuture<StateOwners> refresh() {
    return refresh(false);
  }

  /**
   * A refresh for a call an agent answered {@code state_moved} at table {@code version}: started
   * even within {@link #MIN_REFRESH_INTERVAL} when the held table is older, since the answer proves
   * it stale and the call is retried by the new one (one fetch at a time still).
   */
  CompletableFuture<StateOwners> refreshAtLeast(long version) {
    StateOwners held = owners;
    if (held != null && held.version() >= version) {
      return CompletableFuture.completedFuture(held);
    }
    return refresh(true);
  }

  private CompletableFuture<StateOwners> refresh(boolean stale) {
    CompletableFuture<StateOwners> started;
    synchronized (this) {
      if (refreshing != null) {
        return refreshing;
      }
      long now = nanoTime.getAsLong();
      if (!stale && refreshedOnce && now - lastRefreshNanos < MIN_REFRESH_INTERVAL.toNanos()) {
        return CompletableFuture.completedFuture(owners);
      }
      refreshedOnce = true;
      lastRefreshNanos = now;
      started = new CompletableFuture<>();
      refreshing = started;
    }
    fetchInto(started);
    return started;
  }

  private void fetchInto(CompletableFuture<StateOwners> started) {
    CompletableFuture<StateOwners> fetched;
    try {
      fetched = fetch.get();
    } catch (RuntimeException e) {
      fetched = CompletableFuture.failedFuture(e);
    }
    fetched.whenComplete(
        (table, failure) -> {
          if (table != null) {
            adopt(table);
          }
          synchronized (this) {
            refreshing = null;
          }
          started.complete(owners);
        });
  }

  /** Keeps the newer of the held and the fetched table: answers may arrive out of order. */
  private synchronized void adopt(StateOwners table) {
    StateOwners held = owners;
    if (held == null || table.version() >= held.version()) {
      owners = table;
    }
  }

  private boolean isUnreachable(URI owner) {
    Long until = unreachableUntilNanos.get(owner);
    if (until == null) {
      return false;
    }
    if (nanoTime.getAsLong() - until >= 0) {
      unreachableUntilNanos.remove(owner, until);
      return false;
    }
    return true;
  }
}
