package io.hivemind.server.control;

/** A subscription to the committed log; closing it stops the feed (idempotent, any thread). */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
