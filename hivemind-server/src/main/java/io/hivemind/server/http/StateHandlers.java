package io.hivemind.server.http;

import io.hivemind.core.state.StateLimits;
import io.hivemind.core.state.StateOp;
import io.hivemind.core.state.StateResult;
import io.hivemind.server.state.StateAnswer;
import io.hivemind.server.state.StateRequests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The partitioned store's HTTP API (issue 13; docs/api.md "Partitioned state"): {@code GET}, {@code
 * PUT} and {@code DELETE /v1/state/{map}/{key}}, answered by this agent's {@link StateRequests},
 * which forwards to the key's owner when it is not this agent. Every answer says this agent's table
 * version and the key's owner, so a routing client knows when its table is stale. Runs on the HTTP
 * event loop; the answer comes back to it.
 */
final class StateHandlers {

  static final String VERSION = "X-Hivemind-Version";
  static final String EXPIRES = "X-Hivemind-Expires";
  static final String TABLE_VERSION = "X-Hivemind-Table-Version";
  static final String OWNER = "X-Hivemind-Owner";
  static final String FORWARDED = "X-Hivemind-Forwarded";

  /**
   * Longer than any answer the store gives (its requests time out after a few seconds and answer
   * unavailable): this only bounds a wedged agent.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** A request body may hold the largest value the store takes (1 MiB). */
  static final int MAX_BODY_BYTES = StateLimits.MAX_VALUE_BYTES;

  private static final String OCTETS = "application/octet-stream";

  private final Supplier<StateRequests> state;

  StateHandlers(Supplier<StateRequests> state) {
    this.state = state;
  }

  /** {@code GET /v1/state/{map}/{key}}. */
  void get(ApiRequest request) {
    StateOp op = op(() -> new StateOp.Get(request.pathParam("map"), request.pathParam("key")));
    submit(request, op);
  }

  /** {@code PUT /v1/state/{map}/{key}[?ttl=D][&cas=N]}: the body is the value. */
  void put(ApiRequest request) {
    String map = request.pathParam("map");
    String key = request.pathParam("key");
    byte[] value = request.body();
    if (value.length > StateLimits.MAX_VALUE_BYTES) {
      throw ApiException.badRequest(
          "value_too_large",
          "the value of "
              + value.length
              + " bytes is larger than the limit of "
              + StateLimits.MAX_VALUE_BYTES);
    }
    long ttlMillis = ttlMillis(request);
    long cas = QueryParams.nonNegative(request, "cas", -1);
    StateOp op =
        op(
            () ->
                cas < 0
                    ? new StateOp.Put(map, key, value, ttlMillis)
                    : new StateOp.CompareAndSet(map, key, cas, value, ttlMillis));
    submit(request, op);
  }

  /** {@code DELETE /v1/state/{map}/{key}}. */
  void delete(ApiRequest request) {
    StateOp op = op(() -> new StateOp.Delete(request.pathParam("map"), request.pathParam("key")));
    submit(request, op);
  }

  private static long ttlMillis(ApiRequest request) {
    String text = request.queryParam("ttl");
    if (text == null) {
      return 0;
    }
    try {
      long millis = GoDuration.parse(text.trim()).toMillis();
      if (millis < 0 || millis > StateLimits.MAX_TTL_MILLIS) {
        throw new IllegalArgumentException("'" + text + "' is out of range");
      }
      if (millis == 0 && !text.trim().equals("0")) {
        throw new IllegalArgumentException("'" + text + "' is shorter than a millisecond");
      }
      return millis;
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "bad_ttl", "ttl: " + e.getMessage() + "; use a duration such as 30s, 5m or 1h");
    }
  }

  /** The operation, or a 400 naming what the store does not accept (map, key, value, TTL). */
  private static StateOp op(Supplier<StateOp> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_request", e.getMessage());
    }
  }

  private void submit(ApiRequest request, StateOp op) {
    long routed = routedVersion(request);
    CompletableFuture<StateAnswer> answer = state.get().submit(op, routed);
    Future<?> timer =
        request.onEventLoopAfter(
            TIMEOUT.toMillis(),
            () ->
                request.error(
                    503, "state_unavailable", reason(StateResult.UnavailableReason.TIMEOUT)));
    answer.whenComplete(
        (done, failure) ->
            request.onEventLoop(
                () -> {
                  timer.cancel(false);
                  if (failure != null) {
                    request.error(
                        503, "state_unavailable", reason(StateResult.UnavailableReason.TIMEOUT));
                  } else {
                    answer(request, done);
                  }
                }));
  }

  /**
   * The caller's routing version.
   *
   * @throws ApiException 400 {@code bad_table_version} when the header is not a number 0 or above
   */
  static long routedVersion(ApiRequest request) {
    String text = request.header(TABLE_VERSION);
    if (text == null) {
      return 0;
    }
    try {
      long version = Long.parseLong(text.trim());
      if (version >= 0) {
        return version;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest(
        "bad_table_version",
        "'" + text + "' is not a valid " + TABLE_VERSION + ": use a number 0 or above");
  }

  private static void answer(ApiRequest request, StateAnswer answer) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(TABLE_VERSION, Long.toString(answer.tableVersion()));
    headers.put(OWNER, answer.ownerId());
    if (answer.forwarded()) {
      headers.put(FORWARDED, "true");
    }
    StateResult result = answer.result();
    if (result instanceof StateResult.Found found) {
      headers.put(VERSION, Long.toString(found.version()));
      if (found.expiresAtMillis() > 0) {
        headers.put(EXPIRES, Long.toString(found.expiresAtMillis()));
      }
      request.respond(200, OCTETS, found.value(), headers);
    } else if (result instanceof StateResult.Absent) {
      request.json(404, ApiJson.error("not_found", "no entry for this key"), headers);
    } else if (result instanceof StateResult.Written written) {
      request.json(200, json("{\"version\":" + written.version() + "}"), headers);
    } else if (result instanceof StateResult.Deleted deleted) {
      request.json(200, json("{\"deleted\":" + deleted.existed() + "}"), headers);
    } else if (result instanceof StateResult.Conflict conflict) {
      headers.put(VERSION, Long.toString(conflict.currentVersion()));
      request.json(
          409,
          ApiJson.error(
              "cas_conflict",
              "the entry's version is "
                  + conflict.currentVersion()
                  + (conflict.currentVersion() == 0 ? " (absent)" : "")
                  + ", not the one given"),
          headers);
    } else if (result instanceof StateResult.Redirect redirect) {
      request.json(
          503,
          ApiJson.error(
              "state_moved",
              "the key's partition is owned by member '"
                  + redirect.ownerId()
                  + "' at table version "
                  + redirect.tableVersion()
                  + "; retry"),
          headers);
    } else {
      StateResult.Unavailable unavailable = (StateResult.Unavailable) result;
      request.json(503, ApiJson.error("state_unavailable", reason(unavailable.code())), headers);
    }
  }

  /** The reason as the API names it: {@code no_lease}, {@code backup_timeout}, ... */
  static String reason(StateResult.UnavailableReason code) {
    return code.name().toLowerCase(Locale.ROOT);
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
