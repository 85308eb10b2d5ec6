package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.CheckKind;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.server.catalog.CheckProber;
import io.hivemind.server.loop.ManualLoop;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Targets a probe cannot use are critical at once, with the reason, and open no connection. */
class HealthProberTest {

  private final HealthProber prober = HealthProber.on(new ManualLoop());

  @AfterEach
  void close() {
    prober.close();
  }

  private static CheckDefinition check(CheckKind kind, String target) {
    return new CheckDefinition(
        "c1",
        "c1",
        "web-1",
        kind,
        kind == CheckKind.TTL ? Duration.ofSeconds(5) : Duration.ZERO,
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        target,
        "GET",
        Map.of(),
        false,
        Duration.ZERO,
        HealthStatus.CRITICAL);
  }

  private CheckProber.Outcome probe(CheckKind kind, String target) {
    var outcome = prober.probe(check(kind, target));
    assertThat(outcome).isDone();
    return outcome.join();
  }

  @Test
  void httpCheck_withAnotherScheme_isCritical() {
    CheckProber.Outcome outcome = probe(CheckKind.HTTP, "ftp://127.0.0.1/health");

    assertThat(outcome.status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(outcome.output()).contains("http:// or https://").contains("ftp://127.0.0.1/health");
  }

  @Test
  void httpCheck_withoutAHost_isCritical() {
    CheckProber.Outcome outcome = probe(CheckKind.HTTP, "not a url");

    assertThat(outcome.status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(outcome.output()).contains("not a url");
  }

  @Test
  void tcpCheck_withoutAPort_isCritical() {
    CheckProber.Outcome outcome = probe(CheckKind.TCP, "127.0.0.1");

    assertThat(outcome.status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(outcome.output()).contains("host:port");
  }

  @Test
  void ttlCheck_isNotProbed() {
    CheckProber.Outcome outcome = probe(CheckKind.TTL, "");

    assertThat(outcome.status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(outcome.output()).contains("not probed");
  }
}
