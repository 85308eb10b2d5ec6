package io.hivemind.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.ApiError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Sends the partitioned store's requests where {@link StateRouter} says, and follows the cluster
 * when the answer shows the route was wrong: an owner that refuses the connection is bypassed (the
 * request goes to the configured agent, which forwards; a refused connection means nothing was
 * sent, so retrying a write is safe), and an answer {@code state_moved} (the partition moved again
 * while the agents followed it) is tried once more after the table is refreshed. Any other answer,
 * error or not, is handed back for the caller to read. Thread-safe; one per {@link HivemindClient},
 * shared by its maps.
 */
final class StateCalls {

  /** The agents bound a request by their own timeout (seconds); this one only catches a hang. */
  static final Duration REQUEST_TIMEOUT = HivemindClient.READ_TIMEOUT;

  /** One retry after {@code state_moved}: the agents already retried twice themselves. */
  private static final int MOVED_RETRIES = 1;

  private final StateExchange exchange;
  private final ObjectMapper json;
  private final String token;
  private final StateRouter router;
  private final LongAdder answers = new LongAdder();
  private final LongAdder forwarded = new LongAdder();
  private final LongAdder fetches = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();

  /**
   * @param agent the configured agent's base URI
   * @param exchange sends requests
   * @param json the mapper for answers
   * @param token the ACL token to present, or null
   * @param nanoTime a monotonic clock, for the router's refresh interval
   */
  StateCalls(
      URI agent, StateExchange exchange, ObjectMapper json, String token, LongSupplier nanoTime) {
    this.exchange = exchange;
    this.json = json;
    this.token = token;
    this.router = new StateRouter(agent, this::fetchOwners, nanoTime);
  }

  StateRouter router() {
    return router;
  }

  StateRoutingStats stats() {
    long version = router.owners().map(StateOwners::version).orElse(0L);
    return new StateRoutingStats(
        version, answers.sum(), forwarded.sum(), fetches.sum(), fallbacks.sum());
  }

  ObjectMapper json() {
    return json;
  }

  /**
   * Sends {@code method} on {@code path} (the store's path of map and key, with its query) to the
   * key's owner.
   *
   * @return the answer that ends the call, of any status; exceptionally a {@link
   *     HivemindClientException} when no answer came
   */
  CompletableFuture<HttpResponse<byte[]>> call(
      String map, String key, String method, String path, byte[] body) {
    Call call = new Call(method, path, body);
    return attempt(call, router.route(map, key), MOVED_RETRIES, map, key);
  }

  private record Call(String method, String path, byte[] body) {}

  private CompletableFuture<HttpResponse<byte[]>> attempt(
      Call call, StateRouter.Route route, int movedRetries, String map, String key) {
    return exchange
        .send(request(call, route))
        .handle(
            (response, failure) -> {
              if (failure != null) {
                return afterFailure(call, route, unwrap(failure), movedRetries, map, key);
              }
              boolean wasForwarded = StateHeaders.forwarded(response.headers());
              answers.increment();
              if (wasForwarded) {
                forwarded.increment();
              }
              router.observe(
                  wasForwarded,
                  StateHeaders.number(response.headers(), StateHeaders.TABLE_VERSION, 0));
              if (movedRetries > 0 && isMoved(response)) {
                return router
                    .refresh()
                    .thenCompose(
                        t -> attempt(call, router.route(map, key), movedRetries - 1, map, key));
              }
              return CompletableFuture.completedFuture(response);
            })
        .thenCompose(next -> next);
  }

  private CompletableFuture<HttpResponse<byte[]>> afterFailure(
      Call call,
      StateRouter.Route route,
      Throwable failure,
      int movedRetries,
      String map,
      String key) {
    if (route.direct() && refusedConnection(failure)) {
      router.unreachable(route.target());
      fallbacks.increment();
      return attempt(call, router.fallback(route), movedRetries, map, key);
    }
    return CompletableFuture.failedFuture(transportFailure(route.target(), failure));
  }

  private HttpRequest request(Call call, StateRouter.Route route) {
    HttpRequest.BodyPublisher publisher =
        call.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(call.body());
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(route.target() + call.path()))
            .timeout(REQUEST_TIMEOUT)
            .header("User-Agent", "hivemind-client/" + HivemindClient.version())
            .header(StateHeaders.TABLE_VERSION, Long.toString(route.tableVersion()))
            .method(call.method(), publisher);
    if (call.body() != null) {
      builder.header("Content-Type", "application/octet-stream");
    }
    return token == null ? builder.build() : builder.header("X-Consul-Token", token).build();
  }

  private boolean isMoved(HttpResponse<byte[]> response) {
    if (response.statusCode() != 503) {
      return false;
    }
    ApiError error = apiError(response);
    return error != null && StateUnavailableException.MOVED.equals(error.error());
  }

  /** The answer's API error, or null when its body is not one. */
  ApiError apiError(HttpResponse<byte[]> response) {
    try {
      ApiError error = json.readValue(response.body(), ApiError.class);
      return error != null && error.error() != null && error.message() != null ? error : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** {@code GET /v1/partitions/owners} at the configured agent. */
  private CompletableFuture<StateOwners> fetchOwners() {
    fetches.increment();
    URI agent = router.agent();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(agent + "/v1/partitions/owners"))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json")
            .header("User-Agent", "hivemind-client/" + HivemindClient.version())
            .GET();
    HttpRequest request =
        token == null ? builder.build() : builder.header("X-Consul-Token", token).build();
    return exchange
        .send(request)
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new CompletionException(
                    new IOException("GET /v1/partitions/owners answered " + response.statusCode()));
              }
              try {
                return StateOwners.parse(json, response.body(), agent.getScheme());
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            });
  }

  /** Whether the connection itself failed, so the request was never sent. */
  private static boolean refusedConnection(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static HivemindClientException transportFailure(URI target, Throwable failure) {
    if (failure instanceof HivemindClientException known) {
      return known;
    }
    if (refusedConnection(failure)) {
      return new HivemindClientException(
          HivemindClientException.UNREACHABLE,
          "no agent at "
              + target
              + ": "
              + (failure instanceof ConnectException
                  ? "connection refused"
                  : "no answer to connect"),
          0,
          failure);
    }
    if (failure instanceof HttpTimeoutException) {
      return new HivemindClientException(
          HivemindClientException.TIMEOUT,
          "the agent at " + target + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s",
          0,
          failure);
    }
    return new HivemindClientException(
        HivemindClientException.IO_ERROR,
        "cannot talk to the agent at " + target + ": " + failure,
        0,
        failure);
  }
}
