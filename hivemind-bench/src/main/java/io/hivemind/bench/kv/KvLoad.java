package io.hivemind.bench.kv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A closed-loop write load: {@code inFlight} workers, one thread each, every one sending its next
 * write as soon as the previous one is answered, for a warm-up and then a measured window. Only
 * writes that start inside the measured window count, so the warm-up's connection set-up and JIT
 * compilation stay out of the figures. Worker {@code w}'s s-th write goes to key number {@code (w +
 * s × inFlight) mod keys}: no two writes in flight share a key, and the key space (the systems'
 * state) stays bounded however long the run.
 *
 * <p>Each worker owns its samples and error counts; {@link #run} merges them once the workers have
 * ended.
 */
final class KvLoad {

  private final KvWriter writer;
  private final LongSupplier nanoClock;
  private final String system;
  private final int keys;

  KvLoad(KvWriter writer, LongSupplier nanoClock, String system, int keys) {
    if (keys < 1) {
      throw new IllegalArgumentException("keys must be at least 1, was " + keys);
    }
    this.writer = writer;
    this.nanoClock = nanoClock;
    this.system = system;
    this.keys = keys;
  }

  KvLoadResult run(int inFlight, Duration warmup, Duration measured) throws InterruptedException {
    return run(inFlight, warmup, measured, 0);
  }

  /**
   * As {@link #run(int, Duration, Duration)}, with key numbers from {@code keyBase} to {@code
   * keyBase + keys - 1}: a level of registrations given its own base registers instances no earlier
   * level did.
   */
  KvLoadResult run(int inFlight, Duration warmup, Duration measured, long keyBase)
      throws InterruptedException {
    if (keyBase < 0) {
      throw new IllegalArgumentException("keyBase must be 0 or more, was " + keyBase);
    }
    if (inFlight < 1) {
      throw new IllegalArgumentException("writes in flight must be at least 1, was " + inFlight);
    }
    long measureFrom = nanoClock.getAsLong() + warmup.toNanos();
    long measureUntil = measureFrom + measured.toNanos();
    List<Worker> workers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < inFlight; w++) {
      Worker worker = new Worker(w, inFlight, keyBase, measureFrom, measureUntil);
      workers.add(worker);
      threads.add(new Thread(worker, system + "-load-" + w));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    return result(inFlight, measured, workers);
  }

  private KvLoadResult result(int inFlight, Duration measured, List<Worker> workers) {
    Map<String, Long> errors = new HashMap<>();
    List<LatencySamples> samples = new ArrayList<>();
    for (Worker worker : workers) {
      if (worker.failure != null) {
        throw new IllegalStateException("load worker failed", worker.failure);
      }
      samples.add(worker.samples);
      worker.errors.forEach((reason, count) -> errors.merge(reason, count, Long::sum));
    }
    LatencySummary latency = LatencySamples.merge(samples).summarize();
    return new KvLoadResult(system, inFlight, measured.toNanos(), latency, errors);
  }

  /** One closed-loop writer; its fields are read by {@link #run} only after its thread ended. */
  private final class Worker implements Runnable {
    private final int index;
    private final int stride;
    private final long keyBase;
    private final long measureFrom;
    private final long measureUntil;
    private final LatencySamples samples = new LatencySamples();
    private final Map<String, Long> errors = new HashMap<>();
    private Throwable failure;

    Worker(int index, int stride, long keyBase, long measureFrom, long measureUntil) {
      this.index = index;
      this.stride = stride;
      this.keyBase = keyBase;
      this.measureFrom = measureFrom;
      this.measureUntil = measureUntil;
    }

    @Override
    public void run() {
      try {
        loop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable t) { // thread root: hand the failure to run(), which rethrows it
        failure = t;
      }
    }

    private void loop() throws InterruptedException {
      for (long sequence = 0; ; sequence++) {
        long before = nanoClock.getAsLong();
        if (before >= measureUntil) {
          return;
        }
        String refusal = write(keyBase + (index + sequence * stride) % keys);
        long after = nanoClock.getAsLong();
        if (before >= measureFrom) {
          record(refusal, after - before);
        }
      }
    }

    private String write(long keyNumber) throws InterruptedException {
      try {
        return writer.write(index, keyNumber);
      } catch (RuntimeException e) {
        return e.getClass().getSimpleName();
      }
    }

    private void record(String refusal, long latencyNanos) {
      if (refusal == null) {
        samples.add(latencyNanos);
      } else {
        errors.merge(refusal, 1L, Long::sum);
      }
    }
  }
}
