package io.hivemind.bench.kv;

import java.nio.charset.StandardCharsets;

/**
 * One HTTP request a {@link KvWriteTarget} asks for, described rather than built for a particular
 * client: the method, the path (the endpoint's host and port are the connection's), the body's
 * content type and the body.
 */
record KvRequest(String method, String path, String contentType, byte[] body) {

  KvRequest {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
    }
    body = body.clone();
  }

  static KvRequest json(String method, String path, String json) {
    return new KvRequest(method, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /**
   * The whole request as HTTP/1.1 puts it on the wire, in one array so that it goes out in one
   * write: request line, {@code Host}, {@code Content-Type}, {@code Content-Length}, blank line,
   * body. No {@code Connection} header: HTTP/1.1 keeps the connection open by default.
   */
  byte[] encode(String host) {
    byte[] head =
        (method
                + " "
                + path
                + " HTTP/1.1\r\nHost: "
                + host
                + "\r\nContent-Type: "
                + contentType
                + "\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    return request;
  }
}
