package io.hivemind.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.server.transport.GossipKeyring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The YAML file layer: its shapes, its mistakes and their sentences. */
class AgentSettingsSourcesTest {

  private static final String NEW = GossipKeyring.generateKey();
  private static final String OLD = GossipKeyring.generateKey();

  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, text);
    return file;
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n\n", "# everything commented out\n# node_name: web-7\n", "---\n"})
  void fromYaml_emptyOrCommentsOnly_noSettings(String text) throws IOException {
    assertThat(AgentSettingsSources.fromYaml(yaml(text))).isEqualTo(AgentSettings.NONE);
  }

  @Test
  void fromYaml_everyKey_read() throws IOException {
    AgentSettings settings =
        AgentSettingsSources.fromYaml(
            yaml(
                """
                node_name: web-7
                environment: production
                instance: 1
                cluster: main
                bind: 10.0.0.7
                advertise: 203.0.113.7:7310
                http_bind: 127.0.0.1
                seeds: [10.0.0.11, "10.0.0.12:7300"]
                roles: [host, dns]
                tags: {rack: r12, tier: web}
                zone: eu-west-1a
                profile: wan
                encrypt_keys: [%s, %s]
                insecure_plaintext_gossip: false
                log_format: json
                """
                    .formatted(NEW, OLD)));

    assertThat(settings)
        .isEqualTo(
            new AgentSettings(
                "web-7",
                "production",
                1,
                "main",
                "10.0.0.7",
                "203.0.113.7:7310",
                "127.0.0.1",
                List.of("10.0.0.11", "10.0.0.12:7300"),
                List.of("host", "dns"),
                Map.of("rack", "r12", "tier", "web"),
                "eu-west-1a",
                "wan",
                List.of(NEW, OLD),
                false,
                "json"));
  }

  @Test
  void fromYaml_oneValueWhereAListGoes_readAsCommaSeparated() throws IOException {
    AgentSettings settings =
        AgentSettingsSources.fromYaml(
            yaml(
                """
                seeds: 10.0.0.1
                roles: host, dns
                tags: rack=r12, tier=web
                encrypt_keys: %s
                """
                    .formatted(NEW)));

    assertThat(settings.seeds()).containsExactly("10.0.0.1");
    assertThat(settings.roles()).containsExactly("host", "dns");
    assertThat(settings.tags()).containsExactly(Map.entry("rack", "r12"), Map.entry("tier", "web"));
    assertThat(settings.encryptKeys()).containsExactly(NEW);
  }

  @Test
  void fromYaml_keyWithNoValue_isNotSet() throws IOException {
    assertThat(AgentSettingsSources.fromYaml(yaml("zone:\nnode_name: web-7\n")).zone()).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "node_name: [a, b]|agent.yaml: node_name takes a single value, not a list: write"
            + " node_name: VALUE",
        "seeds: {a: b}|agent.yaml: seeds takes a list, such as seeds: [a, b], or one"
            + " comma-separated value; not a map",
        "seeds: [a, [b]]|agent.yaml: seeds item 2 is a list: each item is a single value",
        "tags: [rack]|agent.yaml: tags takes a map, such as tags: {rack: r12}, or one value such as"
            + " rack=r12,tier=web; not a list",
        "tags: {rack: }|agent.yaml: tags 'rack' is nothing: each tag has a single value (write ''"
            + " for an empty one)",
        "instance: two|agent.yaml: instance 'two' is not an instance: use 0 or 1",
        "insecure_plaintext_gossip: maybe|agent.yaml: insecure_plaintext_gossip 'maybe' is not a"
            + " boolean: use true or false",
        "roles: [host, web]|agent.yaml: roles 'web' is not a role: use catalog, control, dns,"
            + " host or probe",
        "node_name: ''|agent.yaml: node_name '' is not a valid node name: it is empty; use 1 to 128"
            + " bytes of ASCII letters, digits, '-', '_' and '.', starting with a letter or digit",
      })
  void fromYaml_wrongShapeOrValue_sentenceNamesFileKeyAndWhatItTakes(String text, String sentence)
      throws IOException {
    Path file = yaml(text + "\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(sentence.replace("agent.yaml", file.toString()));
  }

  @Test
  void fromYaml_unknownKey_namesFileKeyAndTheKnownKeys() throws IOException {
    Path file = yaml("node_name: a\nseeds_typo: [x]\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            file
                + ": unknown key 'seeds_typo'; known keys: acl_agent_token_file, acl_default_policy, acl_enabled,"
                + " acl_initial_management_token_file, advertise, bind, bootstrap_expect,"
                + " cluster, control_bind, control_gateway_bind, data_dir, dns_domain, dns_port,"
                + " dns_recursors, dns_ttl, encrypt_keys,"
                + " environment, http_bind, insecure_plaintext_gossip, instance, join_token,"
                + " join_token_file, log_format, node_name, partition_backups, profile,"
                + " require_roles, roles, seeds, state_sync_backups,"
                + " tags, tls_ca_file, tls_cert_file, tls_key_file, zone");
  }

  @Test
  void fromYaml_keySetTwice_refused() throws IOException {
    Path file = yaml("seeds: [a]\nseeds: [b]\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .hasMessage(file + ": seeds is set twice (line 2, column 8); keep one");
  }

  @Test
  void fromYaml_notSettings_saysWhatTheFileHolds() throws IOException {
    Path file = yaml("- node_name: a\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .hasMessage(
            "configuration file "
                + file
                + " holds a list, not settings: write one 'key: value' line per setting, such as"
                + " 'node_name: web-7'");
  }

  @Test
  void fromYaml_notYaml_parsersProblemAndWhere() throws IOException {
    Path file = yaml("seeds: [10.0.0.1\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .hasMessage(
            "configuration file "
                + file
                + " is not valid YAML (line 1, column 17): expected ',' or ']', but got <stream"
                + " end>");
  }

  @Test
  void fromYaml_missingTooLargeOrADirectory_saysSo() throws IOException {
    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(dir.resolve("none.yaml")))
        .hasMessage("configuration file " + dir.resolve("none.yaml") + " does not exist");
    Path big = yaml("# " + "x".repeat(YamlSettings.MAX_FILE_BYTES) + "\n");
    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(big))
        .hasMessage(
            "configuration file "
                + big
                + " is larger than 1024 KiB: is it the right file? Settings take a few lines");
    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(dir))
        .hasMessageStartingWith("configuration file " + dir + " cannot be read: ");
  }

  @Test
  void fromEnvironment_newSetting_readAsBoolean() {
    assertThat(
            AgentSettingsSources.fromEnvironment(
                    Map.of("HIVEMIND_INSECURE_PLAINTEXT_GOSSIP", " True "))
                .insecurePlaintextGossip())
        .isTrue();
  }
}
