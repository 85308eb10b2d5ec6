package io.hivemind.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The load's bookkeeping against an in-memory backend and a clock that ticks on every read. */
class StateLoadTest {

  /** A map in memory; the clock moves 1 ms per read, so a call "takes" 1 ms and no one waits. */
  private static final class MemoryBackend implements StateBackend {
    final Map<String, byte[]> entries = new ConcurrentHashMap<>();
    volatile boolean failPuts;

    @Override
    public String name() {
      return "memory";
    }

    @Override
    public void put(String key, byte[] value) {
      if (failPuts) {
        throw new IllegalStateException("refused");
      }
      entries.put(key, value);
    }

    @Override
    public byte[] get(String key) {
      return entries.get(key);
    }

    @Override
    public void close() {}
  }

  private final AtomicLong nanos = new AtomicLong();
  private final MemoryBackend backend = new MemoryBackend();

  private long tick() {
    return nanos.addAndGet(1_000_000);
  }

  @Test
  void preload_writesEveryKeyOnce() throws InterruptedException {
    new StateLoad(backend, this::tick, 100, 50, new byte[] {1}).preload(4);
    assertThat(backend.entries).hasSize(100).containsKeys("key-0", "key-99");
  }

  @Test
  void run_countsOnlyTheMeasuredWindow_andSplitsPutsFromGets() throws InterruptedException {
    StateLoad load = new StateLoad(backend, this::tick, 10, 50, new byte[] {1});
    load.preload(1);

    StateLoad.Result result = load.run(1, Duration.ofMillis(100), Duration.ofMillis(1000));

    // Each call reads the clock twice (before, after): 2 ms a call, 500 in the 1 s window.
    long calls = result.puts().count() + result.gets().count();
    assertThat(calls).isEqualTo(500);
    assertThat(result.puts().count()).isBetween(calls / 3, calls * 2 / 3);
    assertThat(result.gets().misses()).isZero();
    assertThat(result.all().percentileMillis(0.99)).isEqualTo(1.0);
    assertThat(result.perSecond(result.all())).isEqualTo(calls);
  }

  @Test
  void run_countsMissesAndErrors() throws InterruptedException {
    StateLoad load = new StateLoad(backend, this::tick, 10, 50, new byte[] {1});
    backend.failPuts = true;

    StateLoad.Result result = load.run(2, Duration.ZERO, Duration.ofMillis(300));

    assertThat(result.puts().count()).isZero();
    assertThat(result.errors()).containsOnlyKeys("put IllegalStateException");
    assertThat(result.gets().misses()).isEqualTo(result.gets().count()).isPositive();
  }

  @Test
  void onlyPuts_whenTheMixSaysSo() throws InterruptedException {
    StateLoad.Result result =
        new StateLoad(backend, this::tick, 10, 100, new byte[] {1})
            .run(1, Duration.ZERO, Duration.ofMillis(300));
    assertThat(result.gets().count()).isZero();
    assertThat(result.puts().count()).isPositive();
  }

  @Test
  void config_parsesTheMixAndRefusesBadOptions() {
    StateFiguresConfig config =
        StateFiguresConfig.parse(
            new String[] {
              "--backend",
              "hazelcast",
              "--endpoints",
              "127.0.0.1:1,127.0.0.1:2",
              "--mix",
              "10:90",
              "--concurrency",
              "1,8"
            });
    assertThat(config.putPercent()).isEqualTo(10);
    assertThat(config.concurrency()).containsExactly(1, 8);
    assertThat(config.endpoints()).hasSize(2);
    assertThatThrownBy(
            () -> StateFiguresConfig.parse(new String[] {"--backend", "redis", "--endpoints", "x"}))
        .hasMessageContaining("redis");
    assertThatThrownBy(
            () ->
                StateFiguresConfig.parse(
                    new String[] {"--backend", "hivemind", "--endpoints", "x", "--mix", "50"}))
        .hasMessageContaining("PUTS:GETS");
    assertThatThrownBy(() -> StateFiguresConfig.parse(new String[] {"--backend", "hivemind"}))
        .hasMessageContaining("--endpoints");
  }

  @Test
  void rows_printOneLineAnOperation() throws InterruptedException {
    StateLoad.Result result =
        new StateLoad(backend, this::tick, 10, 50, new byte[] {1})
            .run(1, Duration.ZERO, Duration.ofMillis(300));
    String rows = StateFigures.rows("memory", result);
    assertThat(rows.lines()).hasSize(3);
    assertThat(rows.lines().map(line -> line.split("\\s+")[2]))
        .containsExactly("put", "get", "all");
  }
}
