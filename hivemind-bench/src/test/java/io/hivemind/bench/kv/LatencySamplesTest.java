package io.hivemind.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySamplesTest {

  @Test
  void summarize_oneToThousand_nearestRankPercentiles() {
    LatencySamples samples = new LatencySamples();
    for (long i = 1000; i >= 1; i--) { // reversed: the summary must sort
      samples.add(i);
    }

    LatencySummary summary = samples.summarize();

    assertThat(summary).isEqualTo(new LatencySummary(1000, 500, 990, 999, 1000));
  }

  @Test
  void summarize_fewSamples_tailPercentilesAreTheSlowestSample() {
    LatencySamples samples = new LatencySamples();
    samples.add(7);
    samples.add(3);
    samples.add(5);

    assertThat(samples.summarize()).isEqualTo(new LatencySummary(3, 5, 7, 7, 7));
  }

  @Test
  void summarize_noSamples_allZero() {
    assertThat(new LatencySamples().summarize()).isEqualTo(new LatencySummary(0, 0, 0, 0, 0));
  }

  @Test
  void merge_beyondInitialCapacity_keepsEverySample() {
    LatencySamples odd = new LatencySamples();
    LatencySamples even = new LatencySamples();
    for (long i = 1; i <= 3000; i++) {
      (i % 2 == 0 ? even : odd).add(i);
    }

    LatencySamples merged = LatencySamples.merge(List.of(odd, even, new LatencySamples()));

    assertThat(merged.size()).isEqualTo(3000);
    assertThat(merged.summarize()).isEqualTo(new LatencySummary(3000, 1500, 2970, 2997, 3000));
  }

  @Test
  void add_negativeLatency_refusedWithTheValue() {
    assertThatThrownBy(() -> new LatencySamples().add(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void nearestRank_quantileOutOfRange_refused() {
    assertThatThrownBy(() -> LatencySummary.nearestRank(new long[] {1}, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quantile 0.0");
  }
}
