package io.hivemind.server.http;

import io.hivemind.api.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Writes the three kinds of answer: JSON, Prometheus text, and the empty 200 of join and leave. */
final class Replies {

  static final String JSON = "application/json";

  /** The Prometheus text exposition format (version 0.0.4 is what scrapers ask for as text). */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private Replies() {}

  static void json(HttpServerResponse response, int status, Object body) {
    send(response, status, JSON, ApiJson.write(body));
  }

  static void error(HttpServerResponse response, int status, String code, String message) {
    json(response, status, new ApiError(code, message));
  }

  static void text(HttpServerResponse response, String contentType, String body) {
    send(response, 200, contentType, Buffer.buffer(body));
  }

  /** Consul answers a successful join or leave with 200 and no body; so do we. */
  static void empty(HttpServerResponse response) {
    if (isOpen(response)) {
      response.setStatusCode(200).end();
    }
  }

  /** False once the answer went out or the client hung up (a slow join may outlive its client). */
  static boolean isOpen(HttpServerResponse response) {
    return !response.ended() && !response.closed();
  }

  private static void send(
      HttpServerResponse response, int status, String contentType, Buffer body) {
    if (isOpen(response)) {
      response.setStatusCode(status).putHeader("Content-Type", contentType).end(body);
    }
  }
}
