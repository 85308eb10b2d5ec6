package io.hivemind.it.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.core.partition.PartitionTable;
import io.hivemind.it.LoopbackAgents;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.StateSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partition_backups} and {@code state_sync_backups} on a running agent (issue 13): a
 * development voter configured with 2 backups commits its first partition table with that count,
 * and its store, asynchronous backups, takes a write.
 */
class StateSettingsIT {

  /** One voter's group on a busy 2-core machine: its first election, then the first table. */
  private static final Duration FORMING = Duration.ofSeconds(60);

  @TempDir Path root;

  @Test
  void devVoter_partitionBackupsTwo_firstTableHasTwoBackups_andWritesAreTaken() throws Exception {
    AgentSettings settings =
        LoopbackAgents.devVoter(root, "it-state-settings", "v1", "127.0.0.1")
            .withState(new StateSettings("2", "0"));

    try (Agent agent = LoopbackAgents.start(settings, "v1", root)) {
      PartitionTable table =
          await()
              .atMost(FORMING)
              .pollInterval(Duration.ofMillis(200))
              .until(() -> agent.control().view().partitionTable(), t -> t.isPresent())
              .orElseThrow()
              .table();

      assertThat(table.backupCount()).isEqualTo(2);
      HttpClient http = HttpClient.newHttpClient();
      URI uri = agent.httpUri().resolve("/v1/state/settings/k1");
      HttpResponse<String> put =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      http.send(
                          HttpRequest.newBuilder(uri)
                              .PUT(HttpRequest.BodyPublishers.ofString("v"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString()),
                  response -> response.statusCode() != 503); // the first lease may be on its way
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      HttpResponse<String> get =
          http.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(get.body()).isEqualTo("v");
    }
  }
}
