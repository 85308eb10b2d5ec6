package io.hivemind.bench.kv;

/** Sends one write and waits for its answer; called concurrently by every load worker. */
@FunctionalInterface
interface KvWriter {

  /**
   * Writes key number {@code keyNumber} for load worker {@code worker}; returns null when the write
   * was acknowledged, otherwise a short reason to count the error by.
   */
  String write(int worker, long keyNumber) throws InterruptedException;
}
