package io.hivemind.server.http;

import java.util.Arrays;

/**
 * What a control-plane read answers for one view, before the view's headers are added: kept so that
 * a blocking query can tell whether a newer view changed its answer.
 */
record ControlReply(int status, String contentType, byte[] body) {

  static ControlReply json(int status, byte[] body) {
    return new ControlReply(status, ApiRequest.JSON, body);
  }

  /** Consul answers a missing key with a bare 404 (and the index, so a watcher can block on it). */
  static ControlReply notFound() {
    return json(404, new byte[0]);
  }

  boolean sameAs(ControlReply other) {
    return status == other.status
        && contentType.equals(other.contentType)
        && Arrays.equals(body, other.body);
  }
}
