package io.hivemind.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalHealthTest {

  @Test
  void newHealth_isZeroAndDoesNotScale() {
    LocalHealth health = new LocalHealth(8);

    assertThat(health.score()).isZero();
    assertThat(health.scale(500)).isEqualTo(500);
  }

  @Test
  void apply_positive_raisesScoreAndStretchesTimes() {
    LocalHealth health = new LocalHealth(8);

    health.apply(2);

    assertThat(health.score()).isEqualTo(2);
    assertThat(health.scale(1_000)).isEqualTo(3_000);
  }

  @Test
  void apply_aboveMax_clampsToMaxMinusOne() {
    LocalHealth health = new LocalHealth(8);

    health.apply(100);

    assertThat(health.score()).isEqualTo(7);
    assertThat(health.scale(1_000)).isEqualTo(8_000);
  }

  @Test
  void apply_belowZero_clampsToZero() {
    LocalHealth health = new LocalHealth(8);
    health.apply(1);

    health.apply(-5);

    assertThat(health.score()).isZero();
  }

  @Test
  void apply_maxMultiplierOne_neverMoves() {
    LocalHealth health = new LocalHealth(1);

    health.apply(3);

    assertThat(health.score()).isZero();
    assertThat(health.scale(1_000)).isEqualTo(1_000);
  }
}
