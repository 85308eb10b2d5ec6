package io.hivemind.bench.kv;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Each load worker's own {@link HttpConnection}: worker {@code w} always talks to endpoint {@code w
 * mod n}, so the writes in flight spread evenly over the members, as clients connected to different
 * members would (followers forward to the leader, in etcd as in Hivemind).
 *
 * <p>No locks: slot {@code w} is used only by worker {@code w}'s thread. {@link KvLoad} starts a
 * level's threads after the previous level's have ended, so a slot passes from one level's thread
 * to the next's through {@code Thread.join} and {@code Thread.start}, which order the accesses.
 */
final class WorkerConnections implements AutoCloseable {

  private final List<URI> endpoints;
  private final Duration timeout;
  private final HttpConnection[] connections;

  /** For workers 0 to {@code workers - 1}: the most writes in flight of any level. */
  WorkerConnections(List<URI> endpoints, Duration timeout, int workers) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoint to write to");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, was " + workers);
    }
    this.endpoints = List.copyOf(endpoints);
    this.timeout = timeout;
    this.connections = new HttpConnection[workers];
  }

  /** Worker {@code worker}'s connection, made (not yet connected) on its first use. */
  HttpConnection of(int worker) {
    if (worker < 0 || worker >= connections.length) {
      throw new IllegalArgumentException(
          "worker " + worker + " outside 0.." + (connections.length - 1));
    }
    if (connections[worker] == null) {
      connections[worker] = new HttpConnection(endpoints.get(worker % endpoints.size()), timeout);
    }
    return connections[worker];
  }

  /** Closes every connection; only once the workers have ended. */
  @Override
  public void close() {
    for (HttpConnection connection : connections) {
      if (connection != null) {
        connection.close();
      }
    }
  }
}
