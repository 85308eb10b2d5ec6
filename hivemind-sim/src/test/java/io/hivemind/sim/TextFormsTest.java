package io.hivemind.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The text forms of durations, latencies and partitions that the CLI accepts. */
class TextFormsTest {

  @ParameterizedTest
  @CsvSource({"500ms,500", "90s,90000", "10m,600000", "1h,3600000", "1m30s,90000", "600s,600000"})
  void durationParse_validText_givesMillis(String text, long millis) {
    assertThat(DurationText.parseMillis(text)).isEqualTo(millis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "ten s", "10 parsecs", "s10", "1.5s", "-3s"})
  void durationParse_invalidText_namesTextAndForms(String text) {
    assertThatThrownBy(() -> DurationText.parseMillis(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("10m");
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 999, 1000, 90_000, 3_600_000, 3_723_004})
  void durationFormat_anyMillis_parsesBack(long millis) {
    assertThat(DurationText.parseMillis(DurationText.format(millis))).isEqualTo(millis);
  }

  @ParameterizedTest
  @CsvSource({
    "2ms,2,2",
    "1-5ms,1,5",
    "1ms-5ms,1,5",
    "1-2s,1000,2000",
    "20+-5ms,15,25",
    "20±5ms,15,25"
  })
  void latencyParse_validText_givesBounds(String text, long min, long max) {
    assertThat(Latency.parse(text)).isEqualTo(Latency.between(min, max));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "0ms", "5-1ms", "fast", "1-ms"})
  void latencyParse_invalidText_isRefusedWithTheText(String text) {
    assertThatThrownBy(() -> Latency.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void latencySample_range_staysWithinBoundsAndCoversBoth() {
    Latency latency = Latency.between(3, 5);
    SplittableRandom random = new SplittableRandom(7);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < 1_000; i++) {
      long sample = latency.sample(random);
      min = Math.min(min, sample);
      max = Math.max(max, sample);
    }
    assertThat(min).isEqualTo(3);
    assertThat(max).isEqualTo(5);
  }

  @Test
  void latencyAround_jitterBeyondMean_isFlooredAtOneMillisecond() {
    assertThat(Latency.around(2, 5)).isEqualTo(Latency.between(1, 7));
  }

  @Test
  void partitionParse_startPlusLength_givesWindow() {
    PartitionWindow window = PartitionWindow.parse("60s+30s");

    assertThat(window.atMillis()).isEqualTo(60_000);
    assertThat(window.healAtMillis()).isEqualTo(90_000);
    assertThat(PartitionWindow.parse(window.toString())).isEqualTo(window);
  }

  @ParameterizedTest
  @ValueSource(strings = {"60s", "+30s", "60s+", "60s+0s", "a+b"})
  void partitionParse_invalidText_isRefusedWithTheText(String text) {
    assertThatThrownBy(() -> PartitionWindow.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }
}
