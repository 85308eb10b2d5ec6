package io.hivemind.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void delays_startAtOnceThenDoubleWithJitterUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random(3));
    assertThat(backoff.nextDelayMillis()).isZero(); // fail over at once
    long ceiling = 100;
    for (int i = 0; i < 40; i++) {
      long delay = backoff.nextDelayMillis();
      assertThat(delay).isBetween(ceiling / 2, ceiling);
      ceiling = Math.min(5_000, ceiling * 2);
    }
  }

  @Test
  void reset_failsOverAtOnceAgain() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random(3));
    backoff.nextDelayMillis();
    backoff.nextDelayMillis();
    backoff.reset();
    assertThat(backoff.nextDelayMillis()).isZero();
  }
}
