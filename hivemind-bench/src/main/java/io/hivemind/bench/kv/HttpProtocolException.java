package io.hivemind.bench.kv;

import java.io.IOException;

/**
 * A response that is not HTTP/1.1 as this client reads it, or one over its size bounds. An {@link
 * IOException}, so the connection is closed and the write counted as failed like any other I/O
 * failure; its message (fixed phrases, no values) is the error reason it is counted by.
 */
final class HttpProtocolException extends IOException {

  private static final long serialVersionUID = 1L;

  HttpProtocolException(String message) {
    super(message);
  }
}
