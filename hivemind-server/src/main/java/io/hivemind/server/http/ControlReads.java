package io.hivemind.server.http;

import io.hivemind.core.control.ControlView;
import io.hivemind.server.control.ControlPlane;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Reads of the control plane's state with Consul's consistency modes and blocking queries.
 *
 * <p>Consistency: {@code ?stale} reads this agent's replica (it works without a quorum); the
 * default and {@code ?consistent} read a linearizable view (503 {@code no_quorum} without a
 * quorum).
 *
 * <p>Blocking ({@code ?index=N&wait=D}): the answer comes as soon as the view's index is above N,
 * else at the deadline with the state as it then is (Consul's semantics: {@code wait} defaults to 5
 * minutes and is cut to 10). The index is the control plane's log index, so any commit wakes a
 * waiting query, not only a change of what it asked for: clients compare the answer, as Consul's
 * documentation tells them to. The wait has its own timer on the event loop: the connection's idle
 * timeout does not cut it (the request handler knows the connection is answering, not idle), and
 * the request deadlines ran out when its last byte arrived. A client that goes away cancels its
 * wait.
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
   * Reads a view as the request's parameters ask and calls {@code answer} with it on the event
   * loop; failures are answered.
   *
   * @throws ApiException 400 for bad parameters, before anything is read
   */
  static void read(ApiRequest request, ControlPlane plane, Consumer<ControlView> answer) {
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
            answer.accept(view);
          } else {
            block(request, plane, index, wait, answer);
          }
        });
  }

  /** Answers with the first view above {@code index}, or the current one after {@code wait}. */
  private static void block(
      ApiRequest request,
      ControlPlane plane,
      long index,
      Duration wait,
      Consumer<ControlView> answer) {
    CompletableFuture<ControlView> next = plane.awaitIndexAbove(index);
    Future<?> timer =
        request.onEventLoopAfter(
            wait.toMillis(),
            () -> {
              next.cancel(false);
              ControlAnswers.guard(request, () -> answer.accept(plane.view()));
            });
    Runnable unregister =
        request.onClose(
            () -> {
              next.cancel(false);
              timer.cancel(false);
            });
    next.whenComplete(
        (view, failure) ->
            request.onEventLoop(
                () -> {
                  unregister.run();
                  if (failure == null) {
                    timer.cancel(false);
                    ControlAnswers.guard(request, () -> answer.accept(view));
                  }
                  // Cancelled: by the timer, which answers, or by the client going away.
                }));
  }

  /** Consul's response headers of a read at {@code view}. */
  static Map<String, String> headers(ControlView view, ControlPlane plane) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Consul-Index", Long.toString(Math.max(1, view.index())));
    headers.put("X-Consul-KnownLeader", Boolean.toString(!plane.status().degraded()));
    headers.put("X-Consul-LastContact", "0");
    return headers;
  }
}
