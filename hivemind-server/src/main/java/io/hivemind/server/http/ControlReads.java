package io.hivemind.server.http;

import io.hivemind.core.control.ControlView;
import io.hivemind.server.control.ControlPlane;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Reads of the control plane's state with Consul's consistency modes and blocking queries.
 *
 * <p>Consistency: {@code ?stale} reads this agent's replica (it works without a quorum); the
 * default and {@code ?consistent} read a linearizable view (503 {@code no_quorum} without a
 * quorum).
 *
 * <p>Blocking ({@code ?index=N&wait=D}, Consul's semantics: {@code wait} defaults to 5 minutes and
 * is cut to 10): a view already past N answers at once. A view exactly at N is the state the client
 * was answered from (every replica holds the same state at one index), so the query waits until a
 * newer view changes its answer: the leader's periodic ticks and other commits that leave it alone
 * do not wake the client. A replica still behind N waits until it passes N, then answers. At the
 * deadline the answer is the state as it then is. The wait has its own timer on the event loop: the
 * connection's idle timeout does not cut it (the request handler knows the connection is answering,
 * not idle), and the request deadlines ran out when its last byte arrived. A client that goes away
 * cancels its wait.
 *
 * <p>Every answer carries {@code X-Consul-Index} (the view's index, at least 1, since Consul's
 * clients treat 0 as "no index"), {@code X-Consul-KnownLeader} and {@code X-Consul-LastContact}.
 */
final class ControlReads {

  /** Consul's default for {@code wait}. */
  static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

  /** Consul's ceiling for {@code wait}; longer waits are cut to it. */
  static final Duration MAX_WAIT = Duration.ofMinutes(10);

  private ControlReads() {}

  /**
   * Reads a view as the request's parameters ask and answers what {@code render} makes of it, on
   * the event loop; failures are answered.
   *
   * @throws ApiException 400 for bad parameters, before anything is read
   */
  static void read(
      ApiRequest request, ControlPlane plane, Function<ControlView, ControlReply> render) {
    long index = QueryParams.nonNegative(request, "index", -1);
    Duration wait = QueryParams.duration(request, "wait", DEFAULT_WAIT, MAX_WAIT);
    boolean stale = QueryParams.flag(request, "stale");
    if (stale && QueryParams.flag(request, "consistent")) {
      throw ApiException.badRequest(
          "bad_consistency", "?stale and ?consistent exclude each other: use one");
    }
    CompletableFuture<ControlView> first =
        stale ? CompletableFuture.completedFuture(plane.view()) : plane.linearizableView();
    ControlAnswers.onCompletion(
        request,
        first,
        "read_failed",
        view -> {
          if (index < 0 || view.index() > index) {
            send(request, plane, view, render.apply(view));
          } else {
            ControlReply baseline = view.index() == index ? render.apply(view) : null;
            new BlockingRead(request, plane, render, baseline).start(index, wait);
          }
        });
  }

  static void send(ApiRequest request, ControlPlane plane, ControlView view, ControlReply reply) {
    request.respond(reply.status(), reply.contentType(), reply.body(), headers(view, plane));
  }

  /** Consul's response headers of a read at {@code view}. */
  static Map<String, String> headers(ControlView view, ControlPlane plane) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Consul-Index", Long.toString(Math.max(1, view.index())));
    headers.put("X-Consul-KnownLeader", Boolean.toString(!plane.status().degraded()));
    headers.put("X-Consul-LastContact", "0");
    return headers;
  }

  /**
   * One waiting query: a chain of one-shot waits for newer views, and one timer. Owning thread: the
   * request's event loop.
   */
  private static final class BlockingRead {

    private final ApiRequest request;
    private final ControlPlane plane;
    private final Function<ControlView, ControlReply> render;

    /** The answer at the client's index, or null when this replica was behind it. */
    private final ControlReply baseline;

    private CompletableFuture<ControlView> next;
    private Future<?> timer;
    private Runnable unregister;
    private boolean done;

    BlockingRead(
        ApiRequest request,
        ControlPlane plane,
        Function<ControlView, ControlReply> render,
        ControlReply baseline) {
      this.request = request;
      this.plane = plane;
      this.render = render;
      this.baseline = baseline;
    }

    void start(long index, Duration wait) {
      timer = request.onEventLoopAfter(wait.toMillis(), this::deadline);
      unregister = request.onClose(this::finish);
      if (!done) {
        await(index);
      }
    }

    private void await(long index) {
      CompletableFuture<ControlView> waiting = plane.awaitIndexAbove(index);
      next = waiting;
      waiting.whenComplete(
          (view, failure) -> {
            if (failure == null) {
              request.onEventLoop(() -> woken(view));
            }
            // Cancelled: by the deadline, which answers, or by the client going away.
          });
    }

    private void woken(ControlView view) {
      if (done) {
        return;
      }
      ControlAnswers.guard(
          request,
          () -> {
            ControlReply reply = render.apply(view);
            if (baseline != null && reply.sameAs(baseline)) {
              await(view.index()); // Nothing the client asked about changed: wait on.
            } else {
              finish();
              send(request, plane, view, reply);
            }
          });
    }

    private void deadline() {
      if (done) {
        return;
      }
      finish();
      ControlView view = plane.view();
      ControlAnswers.guard(request, () -> send(request, plane, view, render.apply(view)));
    }

    private void finish() {
      if (done) {
        return;
      }
      done = true;
      // A connection already closed runs finish while start registers it: not all is set yet.
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
