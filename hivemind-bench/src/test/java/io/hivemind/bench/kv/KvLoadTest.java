package io.hivemind.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The load on a fake clock that moves 1 ms a reading: no socket, no waiting. */
class KvLoadTest {

  private static final long MILLI = 1_000_000;

  /** A clock that advances one millisecond each time it is read, from 0. */
  private static AtomicLong steppingClock() {
    return new AtomicLong(-MILLI);
  }

  @Test
  void run_oneInFlight_countsOnlyWritesStartedInTheMeasuredWindow() throws Exception {
    AtomicLong clock = steppingClock();
    // Read 0 sets the start; write s starts at 2s + 1 ms and ends 1 ms later. Warm-up 10 ms, window
    // 100 ms: writes starting at 11..109 ms count, sequences 5..54, every tenth refused.
    KvLoad load =
        new KvLoad(
            (worker, key) -> key % 10 == 0 ? "refused" : null,
            () -> clock.addAndGet(MILLI),
            "fake",
            1_000);

    KvLoadResult result = load.run(1, Duration.ofMillis(10), Duration.ofMillis(100));

    assertThat(result.latency()).isEqualTo(new LatencySummary(45, MILLI, MILLI, MILLI, MILLI));
    assertThat(result.errorsByReason()).isEqualTo(Map.of("refused", 5L));
    assertThat(result.errors()).isEqualTo(5);
    assertThat(result.writesPerSecond()).isEqualTo(450.0);
  }

  @Test
  void run_severalInFlight_workersWriteDisjointKeysWithinTheKeySpace() throws Exception {
    AtomicLong clock = steppingClock();
    List<long[]> writes = new CopyOnWriteArrayList<>();
    KvLoad load =
        new KvLoad(
            (worker, key) -> {
              writes.add(new long[] {worker, key});
              return null;
            },
            () -> clock.addAndGet(MILLI),
            "fake",
            12);

    load.run(4, Duration.ZERO, Duration.ofMillis(400));

    assertThat(writes).isNotEmpty();
    assertThat(writes).allSatisfy(w -> assertThat(w[1] % 4).isEqualTo(w[0]));
    assertThat(writes).allSatisfy(w -> assertThat(w[1]).isBetween(0L, 11L));
  }

  @Test
  void run_writerThrows_countedAsAnErrorAndTheLoadGoesOn() throws Exception {
    AtomicLong clock = steppingClock();
    KvLoad load =
        new KvLoad(
            (worker, key) -> {
              if (key == 6) {
                throw new IllegalStateException("boom");
              }
              return null;
            },
            () -> clock.addAndGet(MILLI),
            "fake",
            1_000);

    KvLoadResult result = load.run(1, Duration.ZERO, Duration.ofMillis(20));

    assertThat(result.errorsByReason()).isEqualTo(Map.of("IllegalStateException", 1L));
    assertThat(result.latency().count()).isEqualTo(9);
  }

  @Test
  void run_noWriteInFlight_refused() {
    KvLoad load = new KvLoad((worker, key) -> null, System::nanoTime, "fake", 10);

    assertThatThrownBy(() -> load.run(0, Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
  }
}
