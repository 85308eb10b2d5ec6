package io.hivemind.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.state.StateConfig;
import io.hivemind.server.role.ControlConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code partition_backups} and {@code state_sync_backups}: defaults, precedence, refusals. */
class StateSettingsTest {

  @TempDir Path dir;

  @Test
  void resolve_noStateSettings_oneBackupOneSyncBackupAndStoreDefaults() {
    AgentConfig config = AgentConfig.resolve(AgentSettings.NONE, "n", dir);

    assertThat(config.control().partitionBackups()).isEqualTo(1);
    assertThat(config.nodeConfig().control().partitionBackups()).isEqualTo(1);
    assertThat(config.state()).isEqualTo(StateConfig.defaults());
  }

  @Test
  void resolve_yamlEnvAndFlags_higherLayerWins() throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, "partition_backups: 2\nstate_sync_backups: 2\n");
    AgentSettings fromFile = AgentSettingsSources.fromYaml(file);
    AgentSettings fromEnv =
        AgentSettingsSources.fromEnvironment(Map.of("HIVEMIND_STATE_SYNC_BACKUPS", "0"));
    AgentSettings fromFlags =
        AgentSettings.NONE.withState(new StateSettings("3", null)).checked(Setting::flag);

    AgentConfig config =
        AgentConfig.resolve(fromFile.overlay(fromEnv).overlay(fromFlags), "n", dir);

    assertThat(config.control().partitionBackups()).isEqualTo(3);
    assertThat(config.state().syncBackups()).isZero();
    assertThat(config.state())
        .usingRecursiveComparison()
        .ignoringFields("syncBackups")
        .isEqualTo(StateConfig.defaults());
  }

  @Test
  void resolve_yamlOnly_valuesReachControlAndStore() throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, "partition_backups: 0\nstate_sync_backups: 3\n");

    AgentConfig config = AgentConfig.resolve(AgentSettingsSources.fromYaml(file), "n", dir);

    assertThat(config.control().partitionBackups()).isZero();
    assertThat(config.state().syncBackups()).isEqualTo(3);
  }

  @Test
  void checked_badValues_sentenceNamesTheSettingAsWritten() throws IOException {
    assertThatThrownBy(
            () -> AgentSettingsSources.fromEnvironment(Map.of("HIVEMIND_PARTITION_BACKUPS", "4")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "HIVEMIND_PARTITION_BACKUPS '4' is not a backup count: use a number from 0 to 3");
    assertThatThrownBy(
            () -> AgentSettingsSources.fromEnvironment(Map.of("HIVEMIND_STATE_SYNC_BACKUPS", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "HIVEMIND_STATE_SYNC_BACKUPS '-1' is not a synchronous backup count: use a number from"
                + " 0 to 3");
    assertThatThrownBy(
            () ->
                AgentSettings.NONE.withState(new StateSettings("two", null)).checked(Setting::flag))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--partition-backups 'two' is not a backup count: use a number from 0 to 3");
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, "state_sync_backups: 1.5\n");
    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            file
                + ": state_sync_backups '1.5' is not a synchronous backup count: use a number from"
                + " 0 to 3");
  }

  @Test
  void maxBackups_withinWhatThePartitionTableCarries() {
    assertThat(StateRules.MAX_BACKUPS).isLessThanOrEqualTo(PartitionTable.MAX_BACKUPS);
  }

  @Test
  void controlConfig_backupsOutsideTheTablesBound_refused() {
    ControlConfig control = AgentConfig.resolve(AgentSettings.NONE, "n", dir).control();

    assertThatThrownBy(() -> control.withPartitionBackups(PartitionTable.MAX_BACKUPS + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(control.withPartitionBackups(2).partitionBackups()).isEqualTo(2);
  }
}
