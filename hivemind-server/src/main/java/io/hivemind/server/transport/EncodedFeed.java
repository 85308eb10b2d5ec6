package io.hivemind.server.transport;

import io.hivemind.core.control.GatewayMessage;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway's encoded feed frames, shared by every follower: an entry is encoded once, and each
 * follower's channel gets a retained duplicate of the same buffer (its own reader index, the same
 * bytes), so a thousand followers cost one copy of the entry plus a few bytes of bookkeeping each.
 * Keeps the most recent {@link #capacity} entries (a follower catching up a little hits them too)
 * and the latest snapshot.
 *
 * <p>Thread-safe behind one lock: the applying thread encodes live entries, the loops encode
 * catch-up frames. Buffers given out are released by the channels that write them.
 */
final class EncodedFeed implements AutoCloseable {

  private final int capacity;
  private final Map<Long, ByteBuf> entries = new HashMap<>();
  private final ArrayDeque<Long> order = new ArrayDeque<>();
  private long snapshotIndex = -1;
  private byte[] snapshotSource;
  private ByteBuf snapshot;
  private long encoded;
  private boolean closed;

  EncodedFeed(int capacity) {
    this.capacity = capacity;
  }

  /** The entry frame of {@code index}, to write (the caller owns the duplicate). */
  synchronized ByteBuf entry(long index, byte[] entryBytes) {
    ByteBuf frame = entries.get(index);
    if (frame == null) {
      frame = GatewayFrames.encode(new GatewayMessage.Entry(index, entryBytes));
      encoded++;
      if (closed) {
        return frame;
      }
      entries.put(index, frame);
      order.addLast(index);
      if (order.size() > capacity) {
        entries.remove(order.removeFirst()).release();
      }
    }
    return frame.retainedDuplicate();
  }

  /** The snapshot frame at {@code index}; the same bytes array means the same snapshot. */
  synchronized ByteBuf snapshot(long index, byte[] snapshotBytes) {
    if (closed) {
      return GatewayFrames.encode(new GatewayMessage.Snapshot(index, snapshotBytes));
    }
    if (snapshot == null || snapshotIndex != index || snapshotSource != snapshotBytes) {
      if (snapshot != null) {
        snapshot.release();
      }
      snapshot = GatewayFrames.encode(new GatewayMessage.Snapshot(index, snapshotBytes));
      snapshotIndex = index;
      snapshotSource = snapshotBytes;
      encoded++;
    }
    return snapshot.retainedDuplicate();
  }

  /** Frames encoded so far: with sharing, about one per entry however many followers there are. */
  synchronized long encoded() {
    return encoded;
  }

  @Override
  public synchronized void close() {
    closed = true;
    entries.values().forEach(ByteBuf::release);
    entries.clear();
    order.clear();
    if (snapshot != null) {
      snapshot.release();
      snapshot = null;
    }
  }
}
