package io.hivemind.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.control.ControlCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code services:} key of the agent's YAML file: Consul's catalog registrations. */
class ExternalServicesYamlTest {

  @TempDir Path dir;

  private Path file(String yaml) throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void read_entriesInConsulsShape_anyCaseOrSnakeCase() throws IOException {
    Path file =
        file(
            """
            node_name: web-7
            services:
              - Node: billing-db
                Address: 10.0.4.20
                Service: {Service: postgres, Port: 5432, Tags: [primary]}
                Check: {CheckID: pg, Status: passing, ServiceID: postgres}
              - node: smtp
                address: smtp.example.com
                skip_node_update: true
            """);

    List<ControlCommand.CatalogRegister> services = ExternalServicesYaml.read(file, "main");

    assertThat(services).hasSize(2);
    assertThat(services.get(0).node().name()).isEqualTo("billing-db");
    assertThat(services.get(0).service().orElseThrow().port()).isEqualTo(5432);
    assertThat(services.get(0).checks().get(0).status()).isEqualTo(HealthStatus.PASSING);
    assertThat(services.get(1).service()).isEmpty();
    assertThat(services.get(1).skipNodeUpdate()).isTrue();
    // The settings reader lets the key through.
    assertThat(YamlSettings.read(file).nodeName()).isEqualTo("web-7");
  }

  @Test
  void read_noServicesKey_none() throws IOException {
    assertThat(ExternalServicesYaml.read(file("node_name: a\n"), "main")).isEmpty();
    assertThat(ExternalServicesYaml.read(file(""), "main")).isEmpty();
  }

  @Test
  void read_badEntry_sentenceNamesFileItemAndField() throws IOException {
    Path file =
        file(
            """
            services:
              - {Node: ok, Address: 10.0.0.1}
              - {Node: bad, Address: 10.0.0.2, Service: {Service: "no spaces"}}
            """);

    assertThatThrownBy(() -> ExternalServicesYaml.read(file, "main"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("agent.yaml: services item 2:")
        .hasMessageContaining("service name");
  }

  @Test
  void read_notAList_refused() throws IOException {
    assertThatThrownBy(() -> ExternalServicesYaml.read(file("services: web\n"), "main"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("takes a list");
  }

  @Test
  void read_otherDatacenter_refused() throws IOException {
    Path file = file("services:\n  - {Node: n, Address: a, Datacenter: elsewhere}\n");

    assertThatThrownBy(() -> ExternalServicesYaml.read(file, "main"))
        .hasMessageContaining("elsewhere");
  }
}
