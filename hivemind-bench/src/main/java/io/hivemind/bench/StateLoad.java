package io.hivemind.bench;

import io.hivemind.client.HivemindClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * A closed-loop load of puts and gets on a {@link StateBackend}: {@code concurrency} worker
 * threads, each sending its next call as soon as the previous one is answered, for a warm-up and
 * then a measured window; only calls that start inside the window count. Each call is a put with
 * probability {@code putPercent} %, else a get, of a key drawn uniformly from {@code keys} (seeded
 * per worker: every run draws the same sequence). Workers own their samples; {@link #run} merges
 * them after the workers ended.
 */
final class StateLoad {

  /** The figures of one level. */
  record Result(int concurrency, long windowNanos, Op puts, Op gets, Map<String, Long> errors) {

    /** Both operations' samples together. */
    Op all() {
      long[] merged =
          Arrays.copyOf(puts.sortedNanos, puts.sortedNanos.length + gets.sortedNanos.length);
      System.arraycopy(
          gets.sortedNanos, 0, merged, puts.sortedNanos.length, gets.sortedNanos.length);
      Arrays.sort(merged);
      return new Op(merged, puts.misses + gets.misses);
    }

    double perSecond(Op op) {
      return op.sortedNanos.length * 1e9 / windowNanos;
    }
  }

  /** One operation's latencies, sorted, and how many gets found no value. */
  record Op(long[] sortedNanos, long misses) {

    long count() {
      return sortedNanos.length;
    }

    /** The nearest-rank percentile, in milliseconds; 0 without samples. */
    double percentileMillis(double fraction) {
      if (sortedNanos.length == 0) {
        return 0;
      }
      int rank = (int) Math.ceil(fraction * sortedNanos.length);
      return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }
  }

  private final StateBackend backend;
  private final LongSupplier nanoClock;
  private final int keys;
  private final int putPercent;
  private final byte[] value;

  StateLoad(StateBackend backend, LongSupplier nanoClock, int keys, int putPercent, byte[] value) {
    this.backend = backend;
    this.nanoClock = nanoClock;
    this.keys = keys;
    this.putPercent = putPercent;
    this.value = value.clone();
  }

  static String key(int number) {
    return "key-" + number;
  }

  /** Writes every key once, with {@code threads} writers, so that every measured get finds one. */
  void preload(int threads) throws InterruptedException {
    List<Thread> writers = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int k = first; k < keys; k += threads) {
                    preloadOne(key(k));
                  }
                } catch (RuntimeException | InterruptedException e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              },
              backend.name() + "-preload-" + t);
      writers.add(writer);
      writer.start();
    }
    for (Thread writer : writers) {
      writer.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("preloading the keys failed", failures.get(0));
    }
  }

  /**
   * Preload attempts per key: a put is idempotent, and a table that still balances owners (role
   * changes after the last copy landed) may refuse one while its partition changes hands.
   */
  private static final int PRELOAD_ATTEMPTS = 5;

  private void preloadOne(String key) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        backend.put(key, value);
        return;
      } catch (RuntimeException e) {
        if (attempt == PRELOAD_ATTEMPTS) {
          throw e;
        }
        Thread.sleep(100L * attempt);
      }
    }
  }

  Result run(int concurrency, Duration warmup, Duration measured) throws InterruptedException {
    long measureFrom = nanoClock.getAsLong() + warmup.toNanos();
    long measureUntil = measureFrom + measured.toNanos();
    List<Worker> workers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      Worker worker = new Worker(w, measureFrom, measureUntil);
      workers.add(worker);
      threads.add(new Thread(worker, backend.name() + "-load-" + w));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    return merge(concurrency, measured, workers);
  }

  private Result merge(int concurrency, Duration measured, List<Worker> workers) {
    Samples puts = new Samples();
    Samples gets = new Samples();
    Map<String, Long> errors = new TreeMap<>();
    long misses = 0;
    for (Worker worker : workers) {
      if (worker.failure != null) {
        throw new IllegalStateException("load worker failed", worker.failure);
      }
      puts.addAll(worker.puts);
      gets.addAll(worker.gets);
      misses += worker.misses;
      worker.errors.forEach((reason, count) -> errors.merge(reason, count, Long::sum));
    }
    return new Result(
        concurrency,
        measured.toNanos(),
        new Op(puts.sorted(), 0),
        new Op(gets.sorted(), misses),
        errors);
  }

  /** A growable array of latencies: no boxing in the measured loop. */
  private static final class Samples {
    private long[] nanos = new long[1024];
    private int size;

    void add(long latency) {
      if (size == nanos.length) {
        nanos = Arrays.copyOf(nanos, size * 2);
      }
      nanos[size++] = latency;
    }

    void addAll(Samples other) {
      for (int i = 0; i < other.size; i++) {
        add(other.nanos[i]);
      }
    }

    long[] sorted() {
      long[] sorted = Arrays.copyOf(nanos, size);
      Arrays.sort(sorted);
      return sorted;
    }
  }

  /** One closed-loop caller; its fields are read by {@link #run} only after its thread ended. */
  private final class Worker implements Runnable {
    private final SplittableRandom random;
    private final long measureFrom;
    private final long measureUntil;
    private final Samples puts = new Samples();
    private final Samples gets = new Samples();
    private final Map<String, Long> errors = new TreeMap<>();
    private long misses;
    private boolean lastMissed;
    private Throwable failure;

    Worker(int index, long measureFrom, long measureUntil) {
      this.random = new SplittableRandom(index);
      this.measureFrom = measureFrom;
      this.measureUntil = measureUntil;
    }

    @Override
    public void run() {
      try {
        loop();
      } catch (Throwable t) { // thread root: hand the failure to run(), which rethrows it
        failure = t;
      }
    }

    private void loop() {
      while (true) {
        boolean put = random.nextInt(100) < putPercent;
        String key = key(random.nextInt(keys));
        long before = nanoClock.getAsLong();
        if (before >= measureUntil) {
          return;
        }
        String error = call(put, key);
        long after = nanoClock.getAsLong();
        if (before < measureFrom) {
          continue;
        }
        if (lastMissed) {
          misses++;
        }
        if (error != null) {
          errors.merge((put ? "put " : "get ") + error, 1L, Long::sum);
        } else {
          (put ? puts : gets).add(after - before);
        }
      }
    }

    /** Null when the call succeeded, else what failed it. */
    private String call(boolean put, String key) {
      lastMissed = false;
      try {
        if (put) {
          backend.put(key, value);
        } else {
          lastMissed = backend.get(key) == null;
        }
        return null;
      } catch (HivemindClientException e) {
        return e.code();
      } catch (RuntimeException e) {
        return e.getClass().getSimpleName();
      }
    }
  }
}
