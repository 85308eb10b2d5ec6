package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
