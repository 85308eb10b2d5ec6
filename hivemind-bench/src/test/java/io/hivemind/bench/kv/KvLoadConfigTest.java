package io.hivemind.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvLoadConfigTest {

  @Test
  void parse_systemAndEndpointsOnly_issueDefaults() {
    KvLoadConfig config =
        KvLoadConfig.parse(
            "--system", "etcd", "--endpoints", "http://127.0.0.1:2379, http://127.0.0.1:22379");

    assertThat(config.endpoints())
        .containsExactly(URI.create("http://127.0.0.1:2379"), URI.create("http://127.0.0.1:22379"));
    assertThat(config.inFlight()).containsExactly(1, 16, 64);
    assertThat(config.valueBytes()).isEqualTo(100);
    assertThat(config.seconds()).isEqualTo(10);
    assertThat(config.warmupSeconds()).isEqualTo(3);
  }

  @Test
  void parse_everyOption_taken() {
    KvLoadConfig config =
        KvLoadConfig.parse(
            "--system",
            "Hivemind",
            "--endpoints",
            "http://127.0.0.1:8500",
            "--in-flight",
            "2,8",
            "--seconds",
            "4",
            "--warmup-seconds",
            "0",
            "--value-bytes",
            "10",
            "--keys",
            "5",
            "--timeout-seconds",
            "2",
            "--member-pids",
            "101,102");

    assertThat(config)
        .isEqualTo(
            new KvLoadConfig(
                "hivemind",
                List.of(URI.create("http://127.0.0.1:8500")),
                List.of(2, 8),
                0,
                4,
                10,
                5,
                2,
                List.of(101L, 102L),
                "kv",
                "none",
                1,
                0));
  }

  @Test
  void parse_registrationWorkload_takenWithItsCheck() {
    KvLoadConfig config =
        KvLoadConfig.parse(
            "--system",
            "hivemind",
            "--endpoints",
            "http://127.0.0.1:8500",
            "--workload",
            "Registration",
            "--check",
            "ttl",
            "--key-offset",
            "60000");

    assertThat(config.workload()).isEqualTo("registration");
    assertThat(config.check()).isEqualTo("ttl");
    assertThat(config.keyOffset()).isEqualTo(60_000);
    assertThatThrownBy(
            () ->
                KvLoadConfig.parse(
                    "--system", "etcd", "--endpoints", "http://a:1", "--workload", "lease"))
        .hasMessage("--workload must be kv, txn or registration, was lease");
  }

  @Test
  void parse_badInput_namesTheOptionAndValue() {
    assertThatThrownBy(() -> KvLoadConfig.parse("--system", "consul", "--endpoints", "http://a:1"))
        .hasMessage("--system must be etcd or hivemind, was consul");
    assertThatThrownBy(() -> KvLoadConfig.parse("--system", "etcd"))
        .hasMessage("--endpoints is required");
    assertThatThrownBy(() -> KvLoadConfig.parse("--system", "etcd", "--endpoints", "127.0.0.1:1"))
        .hasMessage("--endpoints wants http://HOST:PORT, got '127.0.0.1:1'");
    assertThatThrownBy(
            () -> KvLoadConfig.parse("--system", "etcd", "--endpoints", "http://127.0.0.1"))
        .hasMessage("--endpoints wants http://HOST:PORT, got 'http://127.0.0.1'");
    assertThatThrownBy(
            () ->
                KvLoadConfig.parse(
                    "--system", "etcd", "--endpoints", "http://a:1", "--in-flight", "1,x"))
        .hasMessage("--in-flight wants a number, got 'x'");
    assertThatThrownBy(
            () ->
                KvLoadConfig.parse(
                    "--system", "etcd", "--endpoints", "http://a:1", "--in-flight", "0"))
        .hasMessage("--in-flight must be at least 1, was 0");
    assertThatThrownBy(() -> KvLoadConfig.parse("--system", "etcd", "--seconds"))
        .hasMessage("option --seconds has no value");
    assertThatThrownBy(() -> KvLoadConfig.parse("--sistem", "etcd"))
        .hasMessage("unknown option --sistem");
  }

  @Test
  void value_fixedSeed_sameBytesEveryRunOfTheRequestedSize() {
    KvLoadConfig config = KvLoadConfig.parse("--system", "etcd", "--endpoints", "http://a:1");

    byte[] value = KvLoadFigures.value(config);

    assertThat(value).hasSize(100).isEqualTo(KvLoadFigures.value(config));
    assertThat(new String(value, java.nio.charset.StandardCharsets.US_ASCII)).matches("[a-z0-9]+");
  }
}
