package io.hivemind.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connections are made lazily, so these open no socket. */
class WorkerConnectionsTest {

  private static final List<URI> ENDPOINTS =
      List.of(URI.create("http://127.0.0.1:2379"), URI.create("http://127.0.0.2:22379"));
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void worker_talksToEndpointWorkerModN_overItsOwnConnection() {
    try (WorkerConnections connections = new WorkerConnections(ENDPOINTS, TIMEOUT, 3)) {
      assertThat(connections.of(0).host()).isEqualTo("127.0.0.1:2379");
      assertThat(connections.of(1).host()).isEqualTo("127.0.0.2:22379");
      assertThat(connections.of(2).host()).isEqualTo("127.0.0.1:2379");
      assertThat(connections.of(2)).isSameAs(connections.of(2)).isNotSameAs(connections.of(0));
    }
  }

  @Test
  void workerBeyondTheMostInFlight_isRefused() {
    try (WorkerConnections connections = new WorkerConnections(ENDPOINTS, TIMEOUT, 2)) {
      assertThatThrownBy(() -> connections.of(2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("worker 2");
    }
  }

  @Test
  void noEndpoint_isRefused() {
    assertThatThrownBy(() -> new WorkerConnections(List.of(), TIMEOUT, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no endpoint");
  }
}
