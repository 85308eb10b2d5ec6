package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.server.http.HttpApiConfig.ConnectionLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpApiConfigTest {

  @Test
  void of_namedDefaults() {
    HttpApiConfig config = HttpApiConfig.of(HttpApiConfig.DEFAULT_HOST, 7361, "1.0");

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.joinTimeout()).isEqualTo(HttpApiConfig.DEFAULT_JOIN_TIMEOUT);
    assertThat(config.leaveTimeout()).isEqualTo(HttpApiConfig.DEFAULT_LEAVE_TIMEOUT);
    assertThat(config.maxBodyBytes()).isEqualTo(HttpApiConfig.DEFAULT_MAX_BODY_BYTES);
    assertThat(config.limits()).isEqualTo(ConnectionLimits.DEFAULTS);
    assertThat(config.limits().maxConnections()).isEqualTo(256);
    assertThat(config.limits().requestHeadTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.limits().requestBodyTimeout()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void withLimits_replacesOnlyTheLimits() {
    ConnectionLimits limits =
        new ConnectionLimits(32, Duration.ofSeconds(1), Duration.ofSeconds(2));

    HttpApiConfig config = HttpApiConfig.of("127.0.0.1", 7361, "1.0").withLimits(limits);

    assertThat(config.limits()).isEqualTo(limits);
    assertThat(config.port()).isEqualTo(7361);
  }

  @Test
  void noConnections_rejectedNamingTheValue() {
    assertThatThrownBy(() -> new ConnectionLimits(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max HTTP connections must be at least 1, got 0");
  }

  @Test
  void zeroHeadTimeout_rejectedNamingIt() {
    assertThatThrownBy(() -> new ConnectionLimits(1, Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("request head timeout must be positive, got PT0S");
  }

  @Test
  void portOutOfRange_rejectedNamingIt() {
    assertThatThrownBy(() -> HttpApiConfig.of("127.0.0.1", 70_000, "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HTTP port out of range 0..65535: 70000");
  }

  @Test
  void zeroTimeout_rejectedNamingIt() {
    assertThatThrownBy(
            () -> new HttpApiConfig("127.0.0.1", 0, "1", Duration.ZERO, Duration.ofSeconds(1), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("join timeout must be positive, got PT0S");
  }

  @Test
  void blankHost_rejected() {
    assertThatThrownBy(() -> HttpApiConfig.of(" ", 0, "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HTTP host must not be blank");
  }
}
