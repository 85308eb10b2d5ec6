package io.hivemind.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.api.Environment;
import io.hivemind.core.membership.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

  @TempDir Path dir;

  @Test
  void resolve_nothingSet_developmentOnWellKnownPorts() {
    AgentConfig config = AgentConfig.resolve(AgentSettings.NONE, "host-a");

    assertThat(config.nodeName()).isEqualTo("host-a");
    assertThat(config.environment()).isEqualTo(Environment.DEVELOPMENT);
    assertThat(config.gossipBind()).isEqualTo(new Address("0.0.0.0", 7360));
    assertThat(config.httpBind()).isEqualTo(new Address("127.0.0.1", 7361));
    assertThat(config.advertise()).isNull();
    assertThat(config.seeds()).isEmpty();
    assertThat(config.roles()).containsExactlyInAnyOrder("catalog", "dns", "host");
    assertThat(config.cluster()).isEqualTo("hivemind");
    assertThat(config.encryptKeys()).isEmpty();
  }

  @Test
  void resolve_secondInstanceOfProduction_takesItsPortsAndSuffixedName() {
    AgentSettings settings =
        AgentSettingsSources.fromEnvironment(
            Map.of("HIVEMIND_ENV", "production", "HIVEMIND_INSTANCE", "1"));

    AgentConfig config = AgentConfig.resolve(settings, "host-a");

    assertThat(config.nodeName()).isEqualTo("host-a-1");
    assertThat(config.gossipBind().port()).isEqualTo(7310);
    assertThat(config.httpBind().port()).isEqualTo(7311);
  }

  @Test
  void resolve_seedWithoutPort_getsTheEnvironmentsGossipPort() {
    AgentSettings settings =
        AgentSettingsSources.fromEnvironment(
            Map.of("HIVEMIND_ENV", "staging", "HIVEMIND_SEEDS", "10.0.0.1, 10.0.0.2:9000,[::1]"));

    AgentConfig config = AgentConfig.resolve(settings, "n");

    assertThat(config.seeds())
        .containsExactly(
            new Address("10.0.0.1", 7320), new Address("10.0.0.2", 9000), new Address("::1", 7320));
  }

  @Test
  void layers_flagsOverEnvironmentOverFile() throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file,
        """
        node_name: from-file
        environment: testing
        cluster: file-cluster
        zone: zone-file
        tags:
          rack: r1
        seeds: [10.0.0.9]
        """);
    AgentSettings fromFile = AgentSettingsSources.fromYaml(file);
    AgentSettings fromEnv =
        AgentSettingsSources.fromEnvironment(
            Map.of("HIVEMIND_CLUSTER", "env-cluster", "HIVEMIND_ZONE", "zone-env"));
    AgentSettings flags =
        new AgentSettings(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "zone-flag",
            null,
            null,
            null);

    AgentConfig config = AgentConfig.resolve(fromFile.overlay(fromEnv).overlay(flags), "host");

    assertThat(config.nodeName()).isEqualTo("from-file");
    assertThat(config.environment()).isEqualTo(Environment.TESTING);
    assertThat(config.cluster()).isEqualTo("env-cluster");
    assertThat(config.zone()).isEqualTo("zone-flag");
    assertThat(config.tags()).containsEntry("rack", "r1");
    assertThat(config.seeds()).containsExactly(new Address("10.0.0.9", 7340));
  }

  @Test
  void fromYaml_unknownKey_namesFileKeyAndTheKnownKeys() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "node_name: a\nseeds_typo: [x]\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bad.yaml")
        .hasMessageContaining("seeds_typo")
        .hasMessageContaining("unknown key 'seeds_typo'")
        .hasMessageContaining("node_name");
  }

  @Test
  void fromYaml_missingFile_saysSo() {
    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(dir.resolve("none.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void resolve_badValues_namedInTheMessage() {
    assertThatThrownBy(() -> resolveEnv(Map.of("HIVEMIND_ENV", "prod")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'prod'");
    assertThatThrownBy(() -> resolveEnv(Map.of("HIVEMIND_INSTANCE", "2")))
        .hasMessageContaining("instance must be 0 or 1, got 2");
    assertThatThrownBy(() -> resolveEnv(Map.of("HIVEMIND_INSTANCE", "one")))
        .hasMessageContaining("HIVEMIND_INSTANCE must be a number, got 'one'");
    assertThatThrownBy(() -> resolveEnv(Map.of("HIVEMIND_SEEDS", "10.0.0.1:99999")))
        .hasMessageContaining("port must be a number from 0 to 65535, got '99999'");
    assertThatThrownBy(() -> resolveEnv(Map.of("HIVEMIND_TAGS", "rack")))
        .hasMessageContaining("tag 'rack' must be key=value");
    assertThatThrownBy(() -> resolveEnv(Map.of("HIVEMIND_PROFILE", "fast")))
        .hasMessageContaining("unknown profile 'fast'");
    assertThatThrownBy(() -> resolveEnv(Map.of("HIVEMIND_LOG_FORMAT", "xml")))
        .hasMessageContaining("log_format must be text or json, got 'xml'");
  }

  @Test
  void hostPort_ipv6Forms() {
    assertThat(HostPort.parse("[fe80::1]:7000", 1, "x")).isEqualTo(new Address("fe80::1", 7000));
    assertThat(HostPort.parse("fe80::1", 1, "x")).isEqualTo(new Address("fe80::1", 1));
    assertThatThrownBy(() -> HostPort.parse("[fe80::1", 1, "seed"))
        .hasMessageContaining("missing ']'");
    assertThatThrownBy(() -> HostPort.parse(":7000", 1, "seed")).hasMessageContaining("no host");
  }

  private static AgentConfig resolveEnv(Map<String, String> env) {
    return AgentConfig.resolve(AgentSettingsSources.fromEnvironment(env), "n");
  }
}
