package io.hivemind.server.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * The partitioned state transport's counters (docs/metrics.md, {@code hivemind.state.transport.*}).
 * Thread-safe: written by the transport's loop and senders, read by metrics.
 */
public final class StateTransportStats {

  final LongAdder accepted = new LongAdder();
  final LongAdder acceptErrors = new LongAdder();
  final LongAdder connected = new LongAdder();
  final LongAdder connectFailures = new LongAdder();
  final LongAdder framesIn = new LongAdder();
  final LongAdder framesOut = new LongAdder();
  final LongAdder bytesIn = new LongAdder();
  final LongAdder bytesOut = new LongAdder();
  final LongAdder malformed = new LongAdder();
  final LongAdder oversized = new LongAdder();
  final LongAdder wrongCluster = new LongAdder();
  final LongAdder wrongIdentity = new LongAdder();
  final LongAdder wrongPeer = new LongAdder();
  final LongAdder slowCutOff = new LongAdder();
  final LongAdder droppedBackoff = new LongAdder();
  final LongAdder droppedTooLarge = new LongAdder();

  /** Connections accepted on the state port. */
  public long accepted() {
    return accepted.sum();
  }

  /** Accepts that failed (descriptors exhausted); the listener paused. */
  public long acceptErrors() {
    return acceptErrors.sum();
  }

  /** Connections to peers opened. */
  public long connected() {
    return connected.sum();
  }

  /** Connections to peers that failed to open or closed. */
  public long connectFailures() {
    return connectFailures.sum();
  }

  /** State messages received (hellos not counted). */
  public long framesIn() {
    return framesIn.sum();
  }

  /** State messages handed to a connection. */
  public long framesOut() {
    return framesOut.sum();
  }

  /** Bytes of state messages received, framing excluded. */
  public long bytesIn() {
    return bytesIn.sum();
  }

  /** Bytes of state messages sent, framing excluded. */
  public long bytesOut() {
    return bytesOut.sum();
  }

  /** Connections closed for a frame that did not decode (or came out of turn). */
  public long malformed() {
    return malformed.sum();
  }

  /** Connections closed for a frame longer than the limit. */
  public long oversized() {
    return oversized.sum();
  }

  /**
   * Connections refused because the peer's TLS certificate does not name the host of the member its
   * hello claims (or that member is not admitted).
   */
  public long wrongIdentity() {
    return wrongIdentity.sum();
  }

  /** Connections refused for a hello of another cluster or environment. */
  public long wrongCluster() {
    return wrongCluster.sum();
  }

  /** Connections closed because the peer that answered is not the member dialled. */
  public long wrongPeer() {
    return wrongPeer.sum();
  }

  /** Connections to a peer that stopped reading, cut off. */
  public long slowCutOff() {
    return slowCutOff.sum();
  }

  /** Messages dropped while a peer's reconnect backoff runs. */
  public long droppedBackoff() {
    return droppedBackoff.sum();
  }

  /** Messages dropped for an encoding larger than a frame. */
  public long droppedTooLarge() {
    return droppedTooLarge.sum();
  }
}
