package io.hivemind.bench;

import io.hivemind.client.HivemindClientException;
import io.hivemind.client.StateUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * One pass over entries {@code key-0} to {@code key-(entries-1)} with at most {@code concurrency}
 * asynchronous calls in flight: {@link #load} writes each once, {@link #verify} reads each back and
 * counts the missing and the wrong. A call that fails (an exception, not a miss) is tried again on
 * {@code retryExecutor} (a delayed one in the figures, a direct one in tests) up to {@code
 * attempts} times in all, then counted as failed with its reason. Each entry's value is derived
 * from its key ({@link #value}), so a value read back from another key's entry counts as wrong.
 *
 * <p>The calling thread issues the calls and blocks on the permits; the counters are updated by
 * whichever thread completes a call, hence atomic.
 */
final class EntryPass {

  /** What a pass did. */
  record Tally(
      long entries,
      long missing,
      long wrong,
      long failed,
      long retried,
      Map<String, Long> failures,
      long nanos) {

    double perSecond() {
      return nanos == 0 ? 0 : entries * 1e9 / nanos;
    }
  }

  private final AsyncEntries map;
  private final int entries;
  private final int valueBytes;
  private final int concurrency;
  private final int attempts;
  private final Executor retryExecutor;
  private final AtomicLong missing = new AtomicLong();
  private final AtomicLong wrong = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final Map<String, Long> failures = new ConcurrentHashMap<>();

  EntryPass(
      AsyncEntries map,
      int entries,
      int valueBytes,
      int concurrency,
      int attempts,
      Executor retryExecutor) {
    this.map = map;
    this.entries = entries;
    this.valueBytes = valueBytes;
    this.concurrency = concurrency;
    this.attempts = attempts;
    this.retryExecutor = retryExecutor;
  }

  static String key(int index) {
    return "key-" + index;
  }

  /** The key followed by '|', repeated to {@code valueBytes}: unique to its key, printable. */
  static byte[] value(int index, int valueBytes) {
    byte[] pattern = (key(index) + "|").getBytes(StandardCharsets.US_ASCII);
    byte[] value = new byte[valueBytes];
    for (int i = 0; i < valueBytes; i++) {
      value[i] = pattern[i % pattern.length];
    }
    return value;
  }

  Tally load() throws InterruptedException {
    return pass(index -> map.put(key(index), value(index, valueBytes)).thenApply(done -> null));
  }

  Tally verify() throws InterruptedException {
    return pass(
        index ->
            map.get(key(index))
                .thenApply(
                    found -> {
                      if (found == null) {
                        missing.incrementAndGet();
                      } else if (!Arrays.equals(found, value(index, valueBytes))) {
                        wrong.incrementAndGet();
                      }
                      return null;
                    }));
  }

  private Tally pass(IntFunction<CompletableFuture<Void>> call) throws InterruptedException {
    Semaphore permits = new Semaphore(concurrency);
    long start = System.nanoTime();
    for (int index = 0; index < entries; index++) {
      permits.acquire();
      attempt(call, index, 1).whenComplete((done, failure) -> permits.release());
    }
    permits.acquire(concurrency); // every call answered
    long nanos = System.nanoTime() - start;
    return new Tally(
        entries,
        missing.get(),
        wrong.get(),
        failed.get(),
        retried.get(),
        new TreeMap<>(failures),
        nanos);
  }

  /** Completes normally in every case: a final failure is counted, not thrown. */
  private CompletableFuture<Void> attempt(
      IntFunction<CompletableFuture<Void>> call, int index, int attempt) {
    CompletableFuture<Void> first;
    try {
      first = call.apply(index);
    } catch (RuntimeException e) { // a client that throws instead of completing exceptionally
      first = CompletableFuture.failedFuture(e);
    }
    return first
        .handle((done, failure) -> failure)
        .thenCompose(
            failure -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(null);
              }
              if (attempt < attempts) {
                retried.incrementAndGet();
                return CompletableFuture.supplyAsync(() -> null, retryExecutor)
                    .thenCompose(ignored -> attempt(call, index, attempt + 1));
              }
              failed.incrementAndGet();
              failures.merge(reason(failure), 1L, Long::sum);
              return CompletableFuture.completedFuture(null);
            });
  }

  /** The client's error code (and the store's reason for a 503), else the exception's class. */
  static String reason(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof StateUnavailableException unavailable) {
      return unavailable.code() + "/" + unavailable.reason();
    }
    if (cause instanceof HivemindClientException client) {
      return client.code();
    }
    return cause.getClass().getSimpleName();
  }
}
