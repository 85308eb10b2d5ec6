package io.hivemind.bench.kv;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link KvWriter} sending each worker's writes over that worker's own keep-alive connection
 * ({@link WorkerConnections}: worker {@code w} to endpoint {@code w mod n}).
 */
final class HttpKvWriter implements KvWriter {

  /**
   * After a failed write (refused connection, timeout, or an error answer such as a 503) the worker
   * waits this long before the next one, as a client backing off would: a member that is down or
   * refusing everything at once then costs a hundred attempts a second per worker, not a busy loop
   * on the two cores the systems under test share.
   */
  static final long PAUSE_AFTER_FAILURE_MILLIS = 10;

  private final KvWriteTarget target;
  private final WorkerConnections connections;
  private final byte[] value;

  HttpKvWriter(KvWriteTarget target, WorkerConnections connections, byte[] value) {
    this.target = target;
    this.connections = connections;
    this.value = value.clone();
  }

  @Override
  public String write(int worker, long keyNumber) throws InterruptedException {
    String refusal = send(connections.of(worker), keyNumber);
    if (refusal != null) {
      TimeUnit.MILLISECONDS.sleep(PAUSE_AFTER_FAILURE_MILLIS);
    }
    return refusal;
  }

  private String send(HttpConnection connection, long keyNumber) {
    try {
      HttpAnswer answer = connection.exchange(target.request(keyNumber, value));
      return target.refusal(answer.status(), answer.body());
    } catch (IOException e) {
      return HttpConnection.reason(e);
    }
  }
}
