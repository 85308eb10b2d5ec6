package io.hivemind.core.layeringfixture;

import io.netty.channel.EventLoop;

/** Deliberately wrong: a core class that drives itself from a Netty event loop. */
public final class CoreClassThatUsesNetty {

  private CoreClassThatUsesNetty() {}

  static void schedule(EventLoop loop, Runnable task) {
    loop.execute(task);
  }
}
