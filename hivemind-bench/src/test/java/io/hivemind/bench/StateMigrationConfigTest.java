package io.hivemind.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class StateMigrationConfigTest {

  @Test
  void parse_onlyCommandAndEndpoint_takesTheDefaults() {
    StateMigrationConfig config =
        StateMigrationConfig.parse("load", "--endpoint", "http://127.0.0.2:8500");

    assertThat(config.command()).isEqualTo("load");
    assertThat(config.endpoint()).isEqualTo(URI.create("http://127.0.0.2:8500"));
    assertThat(config.map()).isEqualTo("migration");
    assertThat(config.entries()).isEqualTo(100_000);
    assertThat(config.valueBytes()).isEqualTo(1_000);
    assertThat(config.concurrency()).isEqualTo(16);
    assertThat(config.attempts()).isEqualTo(5);
  }

  @Test
  void parse_everyOption_readsEach() {
    StateMigrationConfig config =
        StateMigrationConfig.parse(
            "verify",
            "--endpoint",
            "http://127.0.0.1:1",
            "--map",
            "m",
            "--entries",
            "10_000",
            "--value-bytes",
            "64",
            "--concurrency",
            "4",
            "--attempts",
            "2");

    assertThat(config)
        .isEqualTo(
            new StateMigrationConfig(
                "verify", URI.create("http://127.0.0.1:1"), "m", 10_000, 64, 4, 2));
  }

  @Test
  void parse_unknownCommand_namesIt() {
    assertThatThrownBy(
            () -> StateMigrationConfig.parse("crash", "--endpoint", "http://127.0.0.1:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("crash");
  }

  @Test
  void parse_missingEndpoint_saysItIsRequired() {
    assertThatThrownBy(() -> StateMigrationConfig.parse("load"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--endpoint");
  }

  @Test
  void parse_badNumbers_nameTheOptionAndValue() {
    assertThatThrownBy(
            () ->
                StateMigrationConfig.parse(
                    "load", "--endpoint", "http://127.0.0.1:1", "--entries", "many"))
        .hasMessageContaining("--entries")
        .hasMessageContaining("many");
    assertThatThrownBy(
            () ->
                StateMigrationConfig.parse(
                    "load", "--endpoint", "http://127.0.0.1:1", "--value-bytes", "0"))
        .hasMessageContaining("--value-bytes");
    assertThatThrownBy(
            () -> StateMigrationConfig.parse("load", "--endpoint", "http://127.0.0.1:1", "--map"))
        .hasMessageContaining("--map needs a value");
  }
}
