package io.hivemind.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.client.StateUnavailableException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pass's bookkeeping against a map in memory whose futures complete at once. */
class EntryPassTest {

  /** Entries in memory; the first {@code failFirst} calls fail as a moving partition's would. */
  private static final class MemoryEntries implements AsyncEntries {
    final Map<String, byte[]> entries = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    int failFirst;

    @Override
    public CompletableFuture<?> put(String key, byte[] value) {
      if (calls.getAndIncrement() < failFirst) {
        return unavailable();
      }
      entries.put(key, value);
      return CompletableFuture.completedFuture(1L);
    }

    @Override
    public CompletableFuture<byte[]> get(String key) {
      if (calls.getAndIncrement() < failFirst) {
        return unavailable();
      }
      return CompletableFuture.completedFuture(entries.get(key));
    }

    private static <T> CompletableFuture<T> unavailable() {
      return CompletableFuture.failedFuture(
          new StateUnavailableException(
              StateUnavailableException.UNAVAILABLE, "no_owner", "no owner"));
    }
  }

  private static EntryPass pass(AsyncEntries map, int entries, int attempts) {
    return new EntryPass(map, entries, 32, 4, attempts, Runnable::run);
  }

  @Test
  void load_thenVerify_findsEveryEntryIntact() throws InterruptedException {
    MemoryEntries map = new MemoryEntries();

    EntryPass.Tally loaded = pass(map, 100, 1).load();
    EntryPass.Tally verified = pass(map, 100, 1).verify();

    assertThat(map.entries).hasSize(100);
    assertThat(map.entries.get("key-7")).isEqualTo(EntryPass.value(7, 32));
    assertThat(loaded.failed()).isZero();
    assertThat(verified.entries()).isEqualTo(100);
    assertThat(verified.missing()).isZero();
    assertThat(verified.wrong()).isZero();
  }

  @Test
  void verify_lostAndSwappedEntries_countsMissingAndWrong() throws InterruptedException {
    MemoryEntries map = new MemoryEntries();
    pass(map, 50, 1).load();
    map.entries.remove("key-3");
    map.entries.remove("key-40");
    map.entries.put("key-9", EntryPass.value(10, 32));

    EntryPass.Tally verified = pass(map, 50, 1).verify();

    assertThat(verified.missing()).isEqualTo(2);
    assertThat(verified.wrong()).isEqualTo(1);
    assertThat(verified.failed()).isZero();
  }

  @Test
  void load_transientFailures_retriesAndWritesEveryEntry() throws InterruptedException {
    MemoryEntries map = new MemoryEntries();
    map.failFirst = 3;

    EntryPass.Tally loaded = pass(map, 20, 5).load();

    assertThat(loaded.retried()).isEqualTo(3);
    assertThat(loaded.failed()).isZero();
    assertThat(map.entries).hasSize(20);
  }

  @Test
  void verify_failuresPastTheAttempts_countedWithTheirReasonNotAsMissing()
      throws InterruptedException {
    MemoryEntries map = new MemoryEntries();
    pass(map, 10, 1).load();
    map.calls.set(0);
    map.failFirst = 2;

    EntryPass.Tally verified = pass(map, 10, 1).verify();

    assertThat(verified.failed()).isEqualTo(2);
    assertThat(verified.missing()).isZero();
    assertThat(verified.failures()).containsEntry("state_unavailable/no_owner", 2L);
  }

  @Test
  void value_differsByKeyAndHasTheAskedSize() {
    assertThat(EntryPass.value(1, 1000)).hasSize(1000);
    assertThat(EntryPass.value(1, 1000)).isNotEqualTo(EntryPass.value(2, 1000));
    assertThat(new String(EntryPass.value(12, 10), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("key-12|key");
  }
}
