package io.hivemind.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryParamsTest {

  @ParameterizedTest
  @CsvSource({"0,0", "250ms,250", "30s,30000", "5m,300000", "1h,3600000", "1m30s,90000"})
  void parseDuration_goSyntax(String text, long millis) {
    assertThat(QueryParams.parseDuration(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "s", "5 m", "1d", "-1s", "1.5s", "30sx", "x30s"})
  void parseDuration_notADuration_null(String text) {
    assertThat(QueryParams.parseDuration(text)).isNull();
  }
}
