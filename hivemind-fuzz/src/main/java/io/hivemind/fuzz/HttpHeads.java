package io.hivemind.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HTTP/1.1 requests for the agent's API, as a careless or hostile client sends them: real requests
 * (every endpoint, query strings, absolute-form targets, HTTP/1.0, keep-alive, bodies, chunked
 * bodies, pipelining) mutated byte by byte, and requests built from parts where each part is
 * mutated on its own: the method, the target and its %-escapes, the version, header names and
 * values (Content-Length, Transfer-Encoding, Expect, Connection), where CR and LF go, and lengths
 * just past the request-line, header and body limits.
 */
public final class HttpHeads {

  /** Real requests to the API, the simplest first. */
  static final List<String> VALID =
      List.of(
          "GET /v1/agent/members HTTP/1.1\r\nHost: 127.0.0.1:7361\r\n\r\n",
          "GET /v1/agent/members?status=alive HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n",
          "GET /v1/agent/self HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
          "GET /v1/agent/metrics?format=prometheus HTTP/1.1\r\nHost: x\r\n\r\n",
          "PUT /v1/agent/join/10.0.0.2:7340 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
          "PUT /v1/agent/join/%5B::1%5D:7341 HTTP/1.1\r\nHost: x\r\n\r\n",
          "PUT /v1/agent/leave HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n",
          "GET http://127.0.0.1:7361/v1/agent/members?status=suspect HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET /v1/agent/self HTTP/1.0\r\n\r\n",
          "GET /v1/agent/self HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
          "PUT /v1/agent/leave HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
          "PUT /v1/agent/join/db-1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "5\r\nhello\r\n0\r\n\r\n",
          "GET /v1/agent/self HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/agent/members HTTP/1.1\r\nHost: x\r\n\r\n");

  /** What breaks HTTP heads: line ends, escapes, and headers that change how a body is read. */
  static final List<String> TOKENS =
      List.of(
          "\r\n",
          "\n",
          "\r",
          " ",
          "\t",
          ":",
          "%",
          "%zz",
          "%4",
          "%00",
          "%2F",
          "%25",
          "%0d%0a",
          "%C0%AF",
          "%FF",
          "?",
          "#",
          "/..",
          "//",
          "HTTP/1.1",
          "HTTP/1.0",
          "Content-Length: 0\r\n",
          "Content-Length: -1\r\n",
          "Content-Length: 99999999999999999999\r\n",
          "Content-Length: 5\r\nContent-Length: 6\r\n",
          "Content-Length: 2048\r\n",
          "Transfer-Encoding: chunked\r\n",
          "Transfer-Encoding: gzip, chunked\r\nContent-Length: 3\r\n",
          "Expect: 100-continue\r\n",
          "Expect: tea\r\n",
          "Connection: close\r\n",
          "Connection: keep-alive\r\n",
          "Upgrade: h2c\r\nConnection: Upgrade\r\n",
          "Host: \r\n",
          " folded\r\n",
          "ffffffff\r\n",
          "0\r\n\r\n");

  private static final List<String> METHODS =
      List.of(
          "GET",
          "PUT",
          "POST",
          "DELETE",
          "HEAD",
          "OPTIONS",
          "PATCH",
          "TRACE",
          "CONNECT",
          "get",
          "G ET",
          "",
          "PRI",
          "GETX",
          "M-SEARCH");

  private static final List<String> TARGETS =
      List.of(
          "/v1/agent/members",
          "/v1/agent/self",
          "/v1/agent/metrics",
          "/v1/agent/join/10.0.0.9",
          "/v1/agent/join",
          "/v1/agent/leave",
          "/",
          "*",
          "",
          "http://127.0.0.1:7361",
          "/v1/agent/members/",
          "/v1/agent/join/[::1]:7341",
          "/v1/agent/join/a%2Fb");

  private static final List<String> QUERIES =
      List.of(
          "",
          "?status=alive",
          "?status=zombie",
          "?status=%zz",
          "?format=prometheus",
          "?format=json",
          "?status",
          "?&&==&",
          "?status=alive&status=dead",
          "#fragment");

  private static final List<String> VERSIONS =
      List.of(
          "HTTP/1.1",
          "HTTP/1.0",
          "HTTP/1.2",
          "HTTP/2.0",
          "HTTP/0.9",
          "http/1.1",
          "HTTP/1.1 ",
          "",
          "HTTP/11",
          "HTTPS/1.1");

  private static final List<String> HEADERS =
      List.of(
          "Host: x",
          "Content-Length: 0",
          "Content-Length: 3",
          "Content-Length: -5",
          "Content-Length: 1025",
          "Content-Length: 4294967296",
          "Content-Length: 1e3",
          "Transfer-Encoding: chunked",
          "Transfer-Encoding: identity",
          "Expect: 100-continue",
          "Expect: nothing",
          "Connection: close",
          "Connection: keep-alive, Upgrade",
          "Accept: application/json",
          ": empty-name",
          "No-Colon",
          "Space Inside: x",
          "Trailing-Space : x",
          "X-Null: a\u0000b",
          "X-Latin: caf\u00e9",
          "Host: a\r\nHost: b");

  private static final int MAX_LENGTH = 16 * 1024;

  private final TextMutator text = new TextMutator(VALID, TOKENS, MAX_LENGTH);

  /** One request: a real one, mutated, or one built from mutated parts. */
  public byte[] next(Choices choices) {
    return choices.below(3) == 0 ? text.next(choices) : text.mutate(built(choices), choices);
  }

  /** A request put together from parts, each a little wrong or very wrong. */
  private static byte[] built(Choices choices) {
    String eol = choices.pick("\r\n", "\n", "\r", "\n\r");
    StringBuilder request = new StringBuilder();
    request.append(choices.pick(METHODS)).append(' ').append(target(choices));
    request.append(' ').append(choices.pick(VERSIONS)).append(eol);
    int headers = choices.below(6);
    for (int i = 0; i < headers; i++) {
      request.append(header(choices)).append(eol);
    }
    request.append(eol);
    if (choices.oneIn(4)) {
      request.append("x".repeat(choices.pick(0, 3, 5, 1024, 1025, 2048)));
    }
    if (choices.oneIn(6)) {
      request.append(VALID.get(0));
    }
    return request.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String target(Choices choices) {
    StringBuilder target = new StringBuilder(choices.pick(TARGETS));
    int escapes = choices.below(3);
    for (int i = 0; i < escapes; i++) {
      String escape = choices.pick("%41", "%2f", "%zz", "%", "%4", "%00", "%2e%2e", "%25", "%ZZ");
      target.insert(choices.below(target.length() + 1), escape);
    }
    target.append(choices.pick(QUERIES));
    if (choices.oneIn(10)) {
      target.append("a".repeat(choices.pick(4_000, 4_090, 4_096, 9_000)));
    }
    return target.toString();
  }

  private static String header(Choices choices) {
    if (choices.oneIn(10)) {
      return "X-Long: " + "v".repeat(choices.pick(100, 8_000, 8_192, 9_000));
    }
    return choices.pick(HEADERS);
  }
}
