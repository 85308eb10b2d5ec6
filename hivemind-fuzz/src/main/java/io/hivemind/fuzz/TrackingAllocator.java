package io.hivemind.fuzz;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * A channel allocator that remembers the largest buffer a pipeline ever asked for, growth included:
 * the check that a decoder sizes its buffers by what arrived, never by what a length field claims.
 * Heap buffers only (direct ones are made as heap ones: the check is the same).
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {

  private int largest;

  public TrackingAllocator() {
    super(false);
  }

  /** The largest capacity allocated so far, in bytes. */
  public int largest() {
    return largest;
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    return new TrackedBuffer(this, initialCapacity, maxCapacity);
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    return newHeapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  private void allocated(int capacity) {
    largest = Math.max(largest, capacity);
  }

  /** A heap buffer that reports every array it allocates, on creation and on growth. */
  private static final class TrackedBuffer extends UnpooledHeapByteBuf {

    TrackedBuffer(ByteBufAllocator allocator, int initialCapacity, int maxCapacity) {
      super(allocator, initialCapacity, maxCapacity);
    }

    @Override
    protected byte[] allocateArray(int initialCapacity) {
      ((TrackingAllocator) alloc()).allocated(initialCapacity);
      return super.allocateArray(initialCapacity);
    }
  }
}
