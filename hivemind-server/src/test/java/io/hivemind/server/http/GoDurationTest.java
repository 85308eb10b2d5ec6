package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

  @Test
  void parse_goSyntax_asGoReadsIt() {
    assertThat(GoDuration.parse("3s")).isEqualTo(Duration.ofSeconds(3));
    assertThat(GoDuration.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(GoDuration.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(GoDuration.parse("2us")).isEqualTo(Duration.ofNanos(2000));
    assertThat(GoDuration.parse("2µs")).isEqualTo(Duration.ofNanos(2000));
    assertThat(GoDuration.parse("7ns")).isEqualTo(Duration.ofNanos(7));
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("1m0.5s")).isEqualTo(Duration.ofMillis(60_500));
  }

  @Test
  void parse_notADuration_refusedNamingIt() {
    for (String bad : new String[] {"", "10", "s", "-3s", "3 s", "3d", ".s", "1.2.3s", "3s4"}) {
      assertThatThrownBy(() -> GoDuration.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void parse_overAYear_refused() {
    assertThatThrownBy(() -> GoDuration.parse("9000h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than a year");
  }
}
