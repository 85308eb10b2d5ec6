package io.hivemind.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void delays_doubleWithJitter_andStayWithinHalfToFullCeiling() {
    Backoff backoff = new Backoff(new Random(5));
    for (int attempt = 0; attempt < 20; attempt++) {
      long ceiling = Backoff.ceilingMillis(attempt);
      assertThat(backoff.nextDelayMillis()).isBetween(ceiling / 2, ceiling);
    }
  }

  @Test
  void ceiling_isCappedAtFiveMinutes_evenAfterManyAttempts() {
    assertThat(Backoff.ceilingMillis(0)).isEqualTo(100);
    assertThat(Backoff.ceilingMillis(3)).isEqualTo(800);
    assertThat(Backoff.ceilingMillis(12)).isEqualTo(300_000);
    assertThat(Backoff.ceilingMillis(1_000)).isEqualTo(300_000);
    Backoff backoff = new Backoff(new Random(1));
    for (int i = 0; i < 200; i++) {
      assertThat(backoff.nextDelayMillis()).isLessThanOrEqualTo(300_000);
    }
  }

  @Test
  void reset_startsAgainFromTheFirstDelay() {
    Backoff backoff = new Backoff(new Random(2));
    for (int i = 0; i < 10; i++) {
      backoff.nextDelayMillis();
    }
    backoff.reset();
    assertThat(backoff.nextDelayMillis()).isBetween(50L, 100L);
  }

  @Test
  void jitter_spreadsClientsApart() {
    Backoff a = new Backoff(new Random(1));
    Backoff b = new Backoff(new Random(2));
    long differing = 0;
    for (int i = 0; i < 10; i++) {
      differing += a.nextDelayMillis() != b.nextDelayMillis() ? 1 : 0;
    }
    assertThat(differing).isGreaterThan(5);
  }
}
