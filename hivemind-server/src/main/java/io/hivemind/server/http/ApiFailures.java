package io.hivemind.server.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every way a request can fail into the JSON error shape: answers handlers chose ({@link
 * ApiException}), statuses Vert.x set (404, 405, 413, a malformed URI), faults (500, logged with
 * their trace), and bytes that are not HTTP at all.
 */
final class ApiFailures {

  private static final Logger LOG = LoggerFactory.getLogger(ApiFailures.class);

  private final int maxBodyBytes;

  ApiFailures(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The router's failure handler and its handler for statuses without a route (404). */
  void handle(RoutingContext ctx) {
    if (!Replies.isOpen(ctx.response())) {
      return;
    }
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException answer) {
      Replies.error(ctx.response(), answer.status(), answer.code(), answer.getMessage());
    } else if (failure != null) {
      LOG.warn("HTTP {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      internal(ctx);
    } else {
      byStatus(ctx, ctx.statusCode());
    }
  }

  /** 405 with the method the path does take, as RFC 9110 §15.5.6 asks. */
  static void methodNotAllowed(RoutingContext ctx, String allowed) {
    ctx.response().putHeader("Allow", allowed);
    Replies.error(
        ctx.response(),
        405,
        "method_not_allowed",
        ctx.request().method() + " is not allowed on " + ctx.request().path() + "; use " + allowed);
  }

  /**
   * The server's handler for requests its HTTP decoder rejected: answer in JSON, then close, since
   * the rest of the stream cannot be trusted (what Vert.x's default handler does, without JSON).
   */
  static void invalidRequest(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    if (cause instanceof TooLongHttpLineException) {
      Replies.error(request.response(), 414, "uri_too_long", "the request line is too long");
    } else if (cause instanceof TooLongHttpHeaderException) {
      Replies.error(request.response(), 431, "headers_too_large", "the headers are too large");
    } else {
      Replies.error(request.response(), 400, "bad_request", "the request is not valid HTTP/1.1");
    }
    request.connection().close();
  }

  private void byStatus(RoutingContext ctx, int status) {
    switch (status) {
      case 404 ->
          Replies.error(ctx.response(), 404, "not_found", "no endpoint at " + ctx.request().path());
      case 413 ->
          Replies.error(
              ctx.response(),
              413,
              "body_too_large",
              "the request body is larger than the limit of " + maxBodyBytes + " bytes");
      case 500 -> internal(ctx);
      default ->
          Replies.error(
              ctx.response(),
              status >= 400 && status < 500 ? status : 400,
              "bad_request",
              "the request is malformed (HTTP " + status + ")");
    }
  }

  private static void internal(RoutingContext ctx) {
    Replies.error(
        ctx.response(), 500, "internal", "the agent failed to answer; its log has the details");
  }
}
