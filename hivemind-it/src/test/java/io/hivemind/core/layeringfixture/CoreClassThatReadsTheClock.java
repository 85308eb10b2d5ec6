package io.hivemind.core.layeringfixture;

/** Deliberately wrong: a core class that reads the wall clock instead of taking {@code now}. */
public final class CoreClassThatReadsTheClock {

  private CoreClassThatReadsTheClock() {}

  static long now() {
    return System.currentTimeMillis();
  }
}
