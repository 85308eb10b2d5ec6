package io.hivemind.server.http;

import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * The answers to requests that never reach an endpoint: bytes the HTTP decoder rejected, paths with
 * a broken escape, paths without an endpoint.
 */
final class ApiFailures {

  private ApiFailures() {}

  /**
   * Answers a request the decoder rejected, then closes: the rest of the stream cannot be trusted.
   * A request line or headers over the limit get their own status; anything else is a 400.
   */
  static void undecodable(ApiRequest request, Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      request.errorAndClose(414, "uri_too_long", "the request line is too long");
    } else if (cause instanceof TooLongHttpHeaderException) {
      request.errorAndClose(431, "headers_too_large", "the headers are too large");
    } else {
      request.errorAndClose(400, "bad_request", "the request is not valid HTTP/1.1");
    }
  }

  /**
   * Answers, and closes, a request in a version other than HTTP/1.1 and HTTP/1.0, which Netty's
   * codec parses as any {@code NAME/digit.digit}: 505 for another HTTP version (RFC 9110 §15.6.6),
   * 400 for a protocol that is not HTTP at all.
   *
   * @return true if it answered: the request goes no further
   */
  static boolean refuseUnservedVersion(ApiRequest request, HttpVersion version) {
    if (version.equals(HttpVersion.HTTP_1_1) || version.equals(HttpVersion.HTTP_1_0)) {
      return false;
    }
    if (!version.protocolName().equals("HTTP")) {
      request.errorAndClose(400, "bad_request", "the request is not valid HTTP/1.1");
    } else {
      request.errorAndClose(
          505,
          "http_version_not_supported",
          "HTTP/"
              + version.majorVersion()
              + "."
              + version.minorVersion()
              + " is not supported; use HTTP/1.1");
    }
    return true;
  }

  /**
   * Checks every %-escape of a raw path before the path is matched or decoded.
   *
   * @throws ApiException 400 {@code bad_request} naming the first broken escape
   */
  static void requireDecodablePath(String path) {
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length() || !isHex(path.charAt(i + 1)) || !isHex(path.charAt(i + 2))) {
        throw ApiException.badRequest(
            "bad_request", "the path has a malformed %-escape at character " + i);
      }
    }
  }

  static void notFound(ApiRequest request) {
    request.error(404, "not_found", "no endpoint at " + request.path());
  }

  static void internal(ApiRequest request) {
    request.error(500, "internal", "the agent failed to answer; its log has the details");
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }
}
