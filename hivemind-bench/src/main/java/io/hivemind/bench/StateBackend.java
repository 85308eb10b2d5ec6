package io.hivemind.bench;

/**
 * A partitioned map under {@link StateFigures}' load: Hazelcast's {@code IMap} through its smart
 * client, or Hivemind's {@code StateMap} through its routing client. Each call blocks until the
 * store acknowledged it (a put: after its synchronous backup) and fails with an exception
 * otherwise. Thread-safe: every load worker calls it.
 */
interface StateBackend extends AutoCloseable {

  /** The name printed in the figures' first column. */
  String name();

  void put(String key, byte[] value);

  /** The value, or null when the key is absent. */
  byte[] get(String key);

  /** A line on how the calls were routed, printed after the levels; empty when nothing to say. */
  default String routing() {
    return "";
  }

  @Override
  void close();
}
