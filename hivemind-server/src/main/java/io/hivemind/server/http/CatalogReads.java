package io.hivemind.server.http;

import io.hivemind.core.catalog.CatalogView;
import io.hivemind.server.catalog.Catalogue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Reads of the local catalogue replica with Consul's blocking queries. Every read is local: {@code
 * ?stale}, {@code ?consistent}, {@code ?dc}, {@code ?token} and {@code ?cached} are accepted and
 * change nothing (the replica is the only copy this agent has; issue 11).
 *
 * <p>Each endpoint names the index its answer is at: the replica's for answers about every service,
 * the service's ({@link CatalogView#serviceIndex}) for answers about one, so a watcher of one
 * service is not woken by changes to others. {@code X-Consul-Index} is that index, at least 1
 * (Consul's clients, Prometheus among them, take 0 for "no index").
 *
 * <p>Blocking ({@code ?index=N&wait=D}; {@code wait} defaults to 5 minutes, is cut to 10, and gets
 * up to a sixteenth more at random, as Consul spreads the wake-ups of many watchers): when the
 * answer's index is N, the query waits until it changes, else it answers at once. That includes an
 * N above the index, which this replica never gave (it came from another agent, or from this one
 * before a restart): answering at once lets the client start over from our index instead of waiting
 * out a wait it cannot win. At the deadline the answer is the state as it then is. The wait has its
 * own timer on the event loop; a client that goes away cancels it.
 */
final class CatalogReads {

  static final Duration DEFAULT_WAIT = ControlReads.DEFAULT_WAIT;
  static final Duration MAX_WAIT = ControlReads.MAX_WAIT;

  private final Catalogue catalogue;
  private final AgentOperations agent;

  CatalogReads(Catalogue catalogue, AgentOperations agent) {
    this.catalogue = catalogue;
    this.agent = agent;
  }

  Catalogue catalogue() {
    return catalogue;
  }

  /**
   * Answers what {@code render} makes of the replica, blocking as the request asks.
   *
   * @param indexOf the index of the answer in a view
   * @throws ApiException 400 for bad parameters, before anything is read
   */
  void read(
      ApiRequest request,
      ToLongFunction<CatalogView> indexOf,
      Function<CatalogView, ControlReply> render) {
    long index = QueryParams.nonNegative(request, "index", -1);
    Duration wait = QueryParams.duration(request, "wait", DEFAULT_WAIT, MAX_WAIT);
    if (QueryParams.flag(request, "stale") && QueryParams.flag(request, "consistent")) {
      throw ApiException.badRequest(
          "bad_consistency", "?stale and ?consistent exclude each other: use one");
    }
    CatalogView view = catalogue.view();
    if (index < 0 || reported(indexOf, view) != index || wait.isZero()) {
      send(request, view, indexOf, render.apply(view));
      return;
    }
    new BlockingRead(request, indexOf, render, indexOf.applyAsLong(view))
        .start(view, withJitter(wait));
  }

  /** Answers {@code body} (200, JSON) with the catalogue headers at {@code view}'s index. */
  void sendNow(ApiRequest request, byte[] body) {
    CatalogView view = catalogue.view();
    send(request, view, CatalogView::index, ControlReply.json(200, body));
  }

  /** Consul adds up to wait/16 at random so that many watchers of one change do not wake as one. */
  private static Duration withJitter(Duration wait) {
    long spread = wait.toMillis() / 16;
    return spread <= 0 ? wait : wait.plusMillis(ThreadLocalRandom.current().nextLong(spread + 1));
  }

  private static long reported(ToLongFunction<CatalogView> indexOf, CatalogView view) {
    return Math.max(1, indexOf.applyAsLong(view));
  }

  private void send(
      ApiRequest request,
      CatalogView view,
      ToLongFunction<CatalogView> indexOf,
      ControlReply reply) {
    request.respond(
        reply.status(), reply.contentType(), reply.body(), headers(reported(indexOf, view)));
  }

  private Map<String, String> headers(long index) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Consul-Index", Long.toString(index));
    headers.put("X-Consul-KnownLeader", Boolean.toString(!agent.control().status().degraded()));
    headers.put("X-Consul-LastContact", "0");
    return headers;
  }

  /** One waiting query. Owning thread: the request's event loop. */
  private final class BlockingRead {

    private final ApiRequest request;
    private final ToLongFunction<CatalogView> indexOf;
    private final Function<CatalogView, ControlReply> render;

    /**
     * The answer's index when the query started, which the client holds (as reported: 0 is reported
     * as 1, so it is compared unreported, else the first change, to 1, would not wake).
     */
    private final long startIndex;

    private Duration wait;
    private CompletableFuture<CatalogView> next;
    private Future<?> timer;
    private Runnable unregister;
    private boolean done;

    BlockingRead(
        ApiRequest request,
        ToLongFunction<CatalogView> indexOf,
        Function<CatalogView, ControlReply> render,
        long startIndex) {
      this.request = request;
      this.indexOf = indexOf;
      this.render = render;
      this.startIndex = startIndex;
    }

    void start(CatalogView view, Duration wait) {
      this.wait = wait;
      timer = request.onEventLoopAfter(wait.toMillis(), this::deadline);
      unregister = request.onClose(this::finish);
      if (!done) {
        await(view);
      }
    }

    /** Waits for the replica to pass {@code view}; the event-loop timer bounds the whole wait. */
    private void await(CatalogView view) {
      CompletableFuture<CatalogView> waiting = catalogue.awaitIndexAbove(view.index(), wait);
      next = waiting;
      waiting.whenComplete(
          (newer, failure) -> {
            if (failure == null) {
              request.onEventLoop(() -> woken(newer));
            }
            // Failed or cancelled: the deadline answers (or the client went away).
          });
    }

    private void woken(CatalogView view) {
      if (done) {
        return;
      }
      if (indexOf.applyAsLong(view) == startIndex) {
        // The replica moved on, but not what this query is about (another service): wait on.
        await(view);
        return;
      }
      finish();
      ControlAnswers.guard(request, () -> send(request, view, indexOf, render.apply(view)));
    }

    private void deadline() {
      if (done) {
        return;
      }
      finish();
      CatalogView view = catalogue.view();
      ControlAnswers.guard(request, () -> send(request, view, indexOf, render.apply(view)));
    }

    private void finish() {
      if (done) {
        return;
      }
      done = true;
      if (timer != null) {
        timer.cancel(false);
      }
      if (next != null) {
        next.cancel(false);
      }
      if (unregister != null) {
        unregister.run();
      }
    }
  }
}
