package io.hivemind.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuspicionTest {

  @ParameterizedTest(name = "n={0} k={1} min={2} max={3} -> {4}")
  @CsvSource({
    // Lifeguard: max − (max − min) · log(n+1) / log(k+1), floored, never below min.
    "0, 2, 2000, 12000, 12000",
    "1, 2, 2000, 12000, 5690",
    "2, 2, 2000, 12000, 2000",
    "3, 2, 2000, 12000, 2000",
    "0, 4, 5000, 30000, 30000",
    "1, 4, 5000, 30000, 19233",
    "2, 4, 5000, 30000, 12934",
    "3, 4, 5000, 30000, 8466",
    "4, 4, 5000, 30000, 5000",
    "9, 4, 5000, 30000, 5000",
    "0, 1, 1000, 1000, 1000",
    "1, 1, 1000, 6000, 1000",
    // k < 1: nobody will confirm, so the minimum applies at once.
    "0, 0, 2000, 12000, 2000",
    "5, 0, 2000, 12000, 2000",
    "0, -1, 2000, 12000, 2000",
  })
  void timeoutMillis_vectors_matchLifeguardFormula(
      int confirmations, int expected, long min, long max, long timeout) {
    assertThat(Suspicion.timeoutMillis(confirmations, expected, min, max)).isEqualTo(timeout);
  }

  @Test
  void timeoutMillis_moreConfirmations_neverIncreases() {
    long previous = Long.MAX_VALUE;
    for (int n = 0; n <= 10; n++) {
      long timeout = Suspicion.timeoutMillis(n, 5, 3_000, 18_000);
      assertThat(timeout).isLessThanOrEqualTo(previous).isBetween(3_000L, 18_000L);
      previous = timeout;
    }
  }

  @Test
  void confirm_byAccuser_doesNotCount() {
    Suspicion suspicion = new Suspicion("p1", 2, 2_000, 12_000, 100);

    assertThat(suspicion.confirm("p1")).isFalse();
    assertThat(suspicion.confirmations()).isZero();
    assertThat(suspicion.deadlineMillis()).isEqualTo(100 + 12_000);
  }

  @Test
  void confirm_newMember_countsAndMovesDeadline() {
    Suspicion suspicion = new Suspicion("p1", 2, 2_000, 12_000, 100);

    assertThat(suspicion.confirm("p2")).isTrue();

    assertThat(suspicion.confirmations()).isEqualTo(1);
    assertThat(suspicion.deadlineMillis()).isEqualTo(100 + 5_690);
  }

  @Test
  void confirm_duplicate_doesNotCount() {
    Suspicion suspicion = new Suspicion("p1", 3, 2_000, 12_000, 0);
    suspicion.confirm("p2");

    assertThat(suspicion.confirm("p2")).isFalse();
    assertThat(suspicion.confirmations()).isEqualTo(1);
  }

  @Test
  void confirm_afterExpectedReached_stopsCountingAtMinimum() {
    Suspicion suspicion = new Suspicion("p1", 2, 2_000, 12_000, 50);
    suspicion.confirm("p2");
    suspicion.confirm("p3");

    assertThat(suspicion.confirm("p4")).isFalse();
    assertThat(suspicion.confirmations()).isEqualTo(2);
    assertThat(suspicion.deadlineMillis()).isEqualTo(50 + 2_000);
  }

  @Test
  void confirm_noneExpected_deadlineIsMinimumAndNothingCounts() {
    Suspicion suspicion = new Suspicion("p1", 0, 2_000, 12_000, 10);

    assertThat(suspicion.confirm("p2")).isFalse();
    assertThat(suspicion.deadlineMillis()).isEqualTo(10 + 2_000);
  }

  @Test
  void constructor_maxBelowMin_usesMin() {
    Suspicion suspicion = new Suspicion("p1", 2, 5_000, 1_000, 0);

    assertThat(suspicion.deadlineMillis()).isEqualTo(5_000);
  }

  @Test
  void arm_again_cancelsPreviousTimer() {
    TimerQueue timers = new TimerQueue();
    List<String> fired = new ArrayList<>();
    Suspicion suspicion = new Suspicion("p1", 2, 2_000, 12_000, 0);
    suspicion.arm(timers.schedule(12_000, () -> fired.add("first")));
    suspicion.arm(timers.schedule(5_690, () -> fired.add("second")));

    timers.runDue(20_000);

    assertThat(fired).containsExactly("second");
  }

  @Test
  void cancel_armedTimer_neverFires() {
    TimerQueue timers = new TimerQueue();
    List<String> fired = new ArrayList<>();
    Suspicion suspicion = new Suspicion("p1", 2, 2_000, 12_000, 0);
    suspicion.arm(timers.schedule(12_000, () -> fired.add("fired")));

    suspicion.cancel();
    timers.runDue(20_000);

    assertThat(fired).isEmpty();
    assertThat(timers.nextDeadline()).isEqualTo(Long.MAX_VALUE);
  }
}
