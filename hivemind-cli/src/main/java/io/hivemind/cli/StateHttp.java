package io.hivemind.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The CLI's calls to an agent's {@code /v1/state} API (issue 13), with the JDK's HTTP client: the
 * Java client library is the client piece's, and these three calls need nothing it adds.
 */
final class StateHttp {

  /** The store answers within its request timeout (seconds); this bounds a wedged agent. */
  static final Duration TIMEOUT = Duration.ofSeconds(35);

  /** One answer: its status, body and the headers the commands print. */
  record Answer(int status, byte[] body, String version, String expires) {

    /** The API error's message ({@code {"error":..,"message":..}}), or the status. */
    String message() {
      try {
        JsonNode json = new ObjectMapper().readTree(body);
        String code = json.path("error").asText("");
        String message = json.path("message").asText("");
        return code.isEmpty() ? "HTTP " + status : code + ": " + message;
      } catch (IOException e) {
        return "HTTP " + status;
      }
    }

    /** A number field of the JSON body ({@code version}), or -1. */
    long number(String field) {
      try {
        return new ObjectMapper().readTree(body).path(field).asLong(-1);
      } catch (IOException e) {
        return -1;
      }
    }

    /** A boolean field of the JSON body ({@code deleted}). */
    boolean flag(String field) {
      try {
        return new ObjectMapper().readTree(body).path(field).asBoolean(false);
      } catch (IOException e) {
        return false;
      }
    }
  }

  /** The agent could not be reached; the message is one sentence. */
  static final class UnreachableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreachableException(String message) {
      super(message);
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI agent;
  private final String token;

  StateHttp(URI agent, String token) {
    this.agent = agent;
    this.token = token;
  }

  Answer get(String map, String key) throws UnreachableException {
    return send(request(map, key, "").GET());
  }

  Answer put(String map, String key, byte[] value, String ttl, Long cas)
      throws UnreachableException {
    StringBuilder query = new StringBuilder();
    if (ttl != null) {
      query.append("ttl=").append(URLEncoder.encode(ttl, StandardCharsets.UTF_8));
    }
    if (cas != null) {
      query.append(query.length() == 0 ? "" : "&").append("cas=").append(cas);
    }
    return send(
        request(map, key, query.toString()).PUT(HttpRequest.BodyPublishers.ofByteArray(value)));
  }

  Answer delete(String map, String key) throws UnreachableException {
    return send(request(map, key, "").DELETE());
  }

  private HttpRequest.Builder request(String map, String key, String query) {
    String path = "/v1/state/" + segment(map) + "/" + segment(key);
    URI uri = URI.create(agent.toString() + path + (query.isEmpty() ? "" : "?" + query));
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
    if (token != null && !token.isBlank()) {
      builder.header("X-Consul-Token", token);
    }
    return builder;
  }

  /** A path segment: percent-encoded, with '/' kept so a key may hold slashes. */
  private static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
  }

  private Answer send(HttpRequest.Builder request) throws UnreachableException {
    try {
      HttpResponse<byte[]> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("X-Hivemind-Version").orElse(null),
          response.headers().firstValue("X-Hivemind-Expires").orElse(null));
    } catch (IOException e) {
      throw new UnreachableException(
          "cannot reach the agent at "
              + agent
              + ": "
              + e.getMessage()
              + " (is an agent running? --http-addr picks another)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted");
    }
  }
}
