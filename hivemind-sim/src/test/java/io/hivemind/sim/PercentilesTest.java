package io.hivemind.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void of_hundredValues_nearestRankPicksMeasuredValues() {
    long[] values = new long[100];
    for (int i = 0; i < 100; i++) {
      values[i] = 100 - i; // 100..1, unsorted on purpose
    }

    Percentiles p = Percentiles.of(values);

    assertThat(p).isEqualTo(new Percentiles(100, 50, 99, 100));
  }

  @Test
  void of_fewValues_p99IsTheMaximum() {
    Percentiles p = Percentiles.of(30, 10, 20);

    assertThat(p).isEqualTo(new Percentiles(3, 20, 30, 30));
  }

  @Test
  void of_oneValue_everyPercentileIsIt() {
    assertThat(Percentiles.of(7)).isEqualTo(new Percentiles(1, 7, 7, 7));
  }

  @Test
  void of_nothing_isEmpty() {
    assertThat(Percentiles.of()).isEqualTo(Percentiles.NONE);
    assertThat(Percentiles.NONE.isEmpty()).isTrue();
  }
}
