package io.hivemind.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.AgentConfig;
import io.hivemind.api.AgentSelf;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Sends the partitioned store's requests where {@link StateRouter} says, and follows the cluster
 * when the answer shows the route was wrong: an owner that refuses the connection is bypassed (the
 * request goes to the configured agent, which forwards; a refused connection means nothing was
 * sent, so retrying a write is safe), and an answer {@code state_moved} (the partition moved again
 * while the agents followed it) is tried once more after the table is refreshed.
 *
 * <p>Two protocols carry a call: the owner's binary state client connection ({@link
 * StateConnections}, state_client.proto) when the table names the owner's state client address and
 * the connection is open, else the HTTP API. Both end in a {@link StateReply}, whose routing data
 * feed the same stale-table logic. A call the binary connection failed without an answer (it broke,
 * or the request was too long for it) is sent again over HTTP, except a compare-and-set that was
 * written: it may have been applied, and a second attempt would report a conflict with itself.
 *
 * <p>Thread-safe; one per {@link HivemindClient}, shared by its maps.
 */
final class StateCalls implements AutoCloseable {

  /** The agents bound a request by their own timeout (seconds); this one only catches a hang. */
  static final Duration REQUEST_TIMEOUT = HivemindClient.READ_TIMEOUT;

  /**
   * Retries after {@code state_moved}, each by a table at least as new as the answer's: while
   * owners are balanced after a join, a partition can change hands a few times in a second.
   */
  private static final int MOVED_RETRIES = 3;

  private final StateExchange exchange;
  private final ObjectMapper json;
  private final String token;
  private final StateRouter router;
  private final StateHttp http;
  private final StateConnections connections;
  private final LongAdder answers = new LongAdder();
  private final LongAdder binaryAnswers = new LongAdder();
  private final LongAdder forwarded = new LongAdder();
  private final LongAdder fetches = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();

  /**
   * @param agent the configured agent's base URI
   * @param exchange sends HTTP requests
   * @param json the mapper for answers
   * @param token the ACL token to present, or null
   * @param nanoTime a monotonic clock, for the router's refresh interval and call deadlines
   * @param dialer opens binary connections, or null to use HTTP only
   * @param connector runs the binary connects ({@link StateConnections#DAEMON_THREADS})
   */
  StateCalls(
      URI agent,
      StateExchange exchange,
      ObjectMapper json,
      String token,
      LongSupplier nanoTime,
      StateConnections.Dialer dialer,
      Executor connector) {
    this.exchange = exchange;
    this.json = json;
    this.token = token;
    this.router = new StateRouter(agent, this::fetchOwners, nanoTime);
    this.http = new StateHttp(json);
    this.connections =
        dialer == null
            ? null
            : new StateConnections(
                this::fetchHello, dialer, connector, REQUEST_TIMEOUT, nanoTime, new Random());
  }

  StateRouter router() {
    return router;
  }

  /** The binary connections, or null when this client uses HTTP only. */
  StateConnections connections() {
    return connections;
  }

  StateRoutingStats stats() {
    long version = router.owners().map(StateOwners::version).orElse(0L);
    return new StateRoutingStats(
        version,
        answers.sum(),
        forwarded.sum(),
        fetches.sum(),
        fallbacks.sum(),
        binaryAnswers.sum());
  }

  /** Closes the binary connections; their pending calls fail over to HTTP. */
  @Override
  public void close() {
    if (connections != null) {
      connections.close();
    }
  }

  /**
   * Sends {@code request} to its key's owner.
   *
   * @return the reply that ends the call, whatever its outcome; exceptionally a {@link
   *     HivemindClientException} when no reply came
   */
  CompletableFuture<StateReply> call(StateRequest request) {
    return attempt(request, router.route(request.map(), request.key()), MOVED_RETRIES);
  }

  private CompletableFuture<StateReply> attempt(
      StateRequest request, StateRouter.Route route, int movedRetries) {
    StateConnection connection = binaryConnection(route);
    CompletableFuture<StateReply> sent =
        connection != null
            ? connection.call(request, route.tableVersion())
            : exchange.send(request(request, route)).thenApply(r -> http.reply(request, r));
    boolean binary = connection != null;
    return sent.handle(
            (reply, failure) -> {
              if (failure != null) {
                return afterFailure(request, route, unwrap(failure), binary, movedRetries);
              }
              answers.increment();
              if (binary) {
                binaryAnswers.increment();
              }
              if (reply.forwarded()) {
                forwarded.increment();
              }
              router.observe(reply.forwarded(), reply.tableVersion());
              if (movedRetries > 0 && reply.moved()) {
                return router
                    .refreshAtLeast(reply.tableVersion())
                    .thenCompose(
                        t ->
                            attempt(
                                request,
                                router.route(request.map(), request.key()),
                                movedRetries - 1));
              }
              return CompletableFuture.completedFuture(reply);
            })
        .thenCompose(next -> next);
  }

  /**
   * The route's open binary connection, or null for HTTP: none named, none open yet, or this is a
   * connection's reader thread (see {@link StateConnection}).
   */
  private StateConnection binaryConnection(StateRouter.Route route) {
    if (connections == null || route.binary() == null || StateConnection.onReaderThread()) {
      return null;
    }
    return connections.get(route.binary());
  }

  private CompletableFuture<StateReply> afterFailure(
      StateRequest request,
      StateRouter.Route route,
      Throwable failure,
      boolean binary,
      int movedRetries) {
    if (binary
        && failure instanceof StateConnection.Broken broken
        && !(broken.written() && request.kind() == StateRequest.Kind.COMPARE_AND_SET)) {
      return attempt(request, StateRouter.overHttp(route), movedRetries);
    }
    if (!binary && route.direct() && refusedConnection(failure)) {
      router.unreachable(route.target());
      fallbacks.increment();
      return attempt(request, router.fallback(route), movedRetries);
    }
    return CompletableFuture.failedFuture(transportFailure(route.target(), failure));
  }

  private HttpRequest request(StateRequest request, StateRouter.Route route) {
    boolean body =
        request.kind() == StateRequest.Kind.PUT
            || request.kind() == StateRequest.Kind.COMPARE_AND_SET;
    HttpRequest.BodyPublisher publisher =
        body
            ? HttpRequest.BodyPublishers.ofByteArray(request.value())
            : HttpRequest.BodyPublishers.noBody();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(route.target() + StateHttp.path(request)))
            .timeout(REQUEST_TIMEOUT)
            .header("User-Agent", "hivemind-client/" + HivemindClient.version())
            .header(StateHeaders.TABLE_VERSION, Long.toString(route.tableVersion()))
            .method(request.kind().httpMethod, publisher);
    if (body) {
      builder.header("Content-Type", "application/octet-stream");
    }
    return token == null ? builder.build() : builder.header("X-Consul-Token", token).build();
  }

  private HttpRequest.Builder get(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(router.agent() + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json")
            .header("User-Agent", "hivemind-client/" + HivemindClient.version())
            .GET();
    return token == null ? builder : builder.header("X-Consul-Token", token);
  }

  /** {@code GET /v1/partitions/owners} at the configured agent. */
  private CompletableFuture<StateOwners> fetchOwners() {
    fetches.increment();
    URI agent = router.agent();
    return exchange
        .send(get("/v1/partitions/owners").build())
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

  /**
   * The binary hello's environment and cluster, as the configured agent has them ({@code GET
   * /v1/agent/self}): the agents the table names serve the same ones.
   */
  private CompletableFuture<StateConnections.Hello> fetchHello() {
    return exchange
        .send(get("/v1/agent/self").build())
        .thenApply(
            response -> {
              try {
                if (response.statusCode() != 200) {
                  throw new IOException("GET /v1/agent/self answered " + response.statusCode());
                }
                AgentConfig config = json.readValue(response.body(), AgentSelf.class).config();
                if (config == null || config.environment() == null) {
                  throw new IOException("GET /v1/agent/self has no environment");
                }
                return new StateConnections.Hello(
                    config.environment().id(),
                    config.datacenter() == null ? "" : config.datacenter(),
                    "hivemind-client/" + HivemindClient.version(),
                    token == null ? "" : token);
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
