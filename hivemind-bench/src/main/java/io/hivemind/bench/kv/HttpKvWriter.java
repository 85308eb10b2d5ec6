package io.hivemind.bench.kv;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link KvWriter} over the JDK's HTTP client: worker {@code w} always talks to endpoint {@code w
 * mod n}, so the writes in flight spread evenly over the members, as clients connected to different
 * members would (followers forward to the leader, in etcd as in Hivemind).
 */
final class HttpKvWriter implements KvWriter {

  /**
   * After a transport failure (refused connection, timeout) the worker waits this long before the
   * next write, so a member that is down costs the machine a few hundred attempts a second, not a
   * busy loop on the two cores the systems under test share.
   */
  private static final long PAUSE_AFTER_FAILURE_MILLIS = 10;

  private final HttpClient client;
  private final KvWriteTarget target;
  private final List<URI> endpoints;
  private final byte[] value;

  HttpKvWriter(HttpClient client, KvWriteTarget target, List<URI> endpoints, byte[] value) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoint to write to");
    }
    this.client = client;
    this.target = target;
    this.endpoints = List.copyOf(endpoints);
    this.value = value.clone();
  }

  @Override
  public String write(int worker, long keyNumber) throws InterruptedException {
    URI endpoint = endpoints.get(worker % endpoints.size());
    try {
      HttpResponse<String> response =
          client.send(
              target.request(endpoint, keyNumber, value), HttpResponse.BodyHandlers.ofString());
      return target.refusal(response.statusCode(), response.body());
    } catch (IOException e) {
      TimeUnit.MILLISECONDS.sleep(PAUSE_AFTER_FAILURE_MILLIS);
      return e.getClass().getSimpleName();
    }
  }
}
