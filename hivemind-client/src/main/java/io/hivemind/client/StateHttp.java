package io.hivemind.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.api.ApiError;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The partitioned store over the HTTP API ({@code /v1/state/{map}/{key}}, docs/api.md): a {@link
 * StateRequest}'s path and query, and an answer read into a {@link StateReply} (status, headers and
 * JSON), so that the HTTP and the binary protocol end in the same place. Stateless.
 */
final class StateHttp {

  private final ObjectMapper json;

  StateHttp(ObjectMapper json) {
    this.json = json;
  }

  /** The request's path and query. */
  static String path(StateRequest request) {
    StringBuilder path = new StringBuilder("/v1/state/").append(request.map()).append('/');
    path.append(segment(request.key()));
    char separator = '?';
    if (request.ttlMillis() > 0) {
      // A Go duration, as the agent reads ?ttl= (Consul's form); milliseconds lose nothing here.
      path.append(separator).append("ttl=").append(request.ttlMillis()).append("ms");
      separator = '&';
    }
    if (request.kind() == StateRequest.Kind.COMPARE_AND_SET) {
      path.append(separator).append("cas=").append(request.expectedVersion());
    }
    return path.toString();
  }

  /** Percent-encodes every character that is not unreserved, '/' included: a key is one segment. */
  private static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The answer, whatever its status, as the store's outcome and the routing headers. */
  StateReply reply(StateRequest request, HttpResponse<byte[]> response) {
    return new StateReply(
        outcome(request, response),
        StateHeaders.number(response.headers(), StateHeaders.TABLE_VERSION, 0),
        StateHeaders.forwarded(response.headers()));
  }

  private StateReply.Outcome outcome(StateRequest request, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status != 200) {
      if (status == 404 && request.kind() == StateRequest.Kind.GET && isStoreAnswer(response)) {
        return new StateReply.Absent();
      }
      return error(response);
    }
    return switch (request.kind()) {
      case GET -> found(response);
      case DELETE -> {
        JsonNode deleted = field(response, "deleted");
        yield deleted == null ? unexpected(response, "no 'deleted'") : deletedOf(deleted);
      }
      case PUT, COMPARE_AND_SET -> {
        JsonNode version = field(response, "version");
        yield version == null
            ? unexpected(response, "no 'version'")
            : new StateReply.Written(version.asLong());
      }
    };
  }

  private static StateReply.Outcome deletedOf(JsonNode deleted) {
    return new StateReply.Deleted(deleted.asBoolean());
  }

  private static StateReply.Outcome found(HttpResponse<byte[]> response) {
    long version = StateHeaders.number(response.headers(), StateHeaders.VERSION, -1);
    long expires = StateHeaders.number(response.headers(), StateHeaders.EXPIRES, 0);
    if (version < 1) {
      return unexpected(response, "a value without a valid " + StateHeaders.VERSION + " header");
    }
    return new StateReply.Found(response.body(), version, Math.max(0, expires));
  }

  /**
   * A 404 from the store carries the agent's table version; one without it (an agent that has no
   * store, or a proxy) is no answer about the key.
   */
  private static boolean isStoreAnswer(HttpResponse<byte[]> response) {
    return response.headers().firstValue(StateHeaders.TABLE_VERSION).isPresent();
  }

  /** A JSON answer's field, or null when the body is not JSON with it. */
  private JsonNode field(HttpResponse<byte[]> response, String name) {
    try {
      JsonNode value = json.readTree(response.body()).path(name);
      return value.isMissingNode() || value.isNull() ? null : value;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private StateReply.Outcome error(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    ApiError error = apiError(response);
    if (error == null) {
      return unexpected(response, "HTTP " + status + " without an API error");
    }
    if (status == 409 && StateConflictException.CODE.equals(error.error())) {
      long current = StateHeaders.number(response.headers(), StateHeaders.VERSION, 0);
      return new StateReply.Conflict(current, error.message());
    }
    if (status == 503 && error.error().equals(StateUnavailableException.MOVED)) {
      return new StateReply.Moved(error.message());
    }
    if (status == 503 && error.error().startsWith("state_")) {
      return new StateReply.Unavailable(error.message().strip(), error.message());
    }
    return new StateReply.Failed(
        new HivemindClientException(error.error(), error.message(), status, null));
  }

  /** The answer's API error, or null when its body is not one. */
  private ApiError apiError(HttpResponse<byte[]> response) {
    try {
      ApiError error = json.readValue(response.body(), ApiError.class);
      return error != null && error.error() != null && error.message() != null ? error : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static StateReply.Outcome unexpected(HttpResponse<byte[]> response, String what) {
    return new StateReply.Failed(
        new HivemindClientException(
            HivemindClientException.UNEXPECTED_RESPONSE,
            "the agent at " + response.uri().getAuthority() + " answered " + what,
            response.statusCode(),
            null));
  }
}
