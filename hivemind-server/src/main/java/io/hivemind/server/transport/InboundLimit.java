package io.hivemind.server.transport;

/**
 * How many inbound streams are open, against the configured maximum. Touched only by the
 * transport's event loop (every stream channel is registered there), hence a plain int.
 */
final class InboundLimit {

  private final int max;
  private int open;

  InboundLimit(int max) {
    this.max = max;
  }

  int max() {
    return max;
  }

  boolean tryAcquire() {
    if (open >= max) {
      return false;
    }
    open++;
    return true;
  }

  void release() {
    open--;
  }
}
