package io.hivemind.core.layeringfixture;

import java.util.concurrent.ExecutorService;

/** Deliberately wrong: a core class that hands work to an executor. */
public final class CoreClassThatUsesThreads {

  private CoreClassThatUsesThreads() {}

  static void run(ExecutorService executor, Runnable task) {
    executor.execute(task);
  }
}
