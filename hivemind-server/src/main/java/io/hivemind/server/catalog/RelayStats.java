package io.hivemind.server.catalog;

import io.hivemind.core.catalog.ApplyOutcome;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one node's catalogue replication: written by the replica's thread, read by metrics,
 * benchmarks and tests on any thread.
 */
public final class RelayStats {
  /** Deltas and states that changed the replica (and were passed on). */
  final LongAdder applied = new LongAdder();

  /** Deltas and states this replica already held, or held newer: a flood's echoes. */
  final LongAdder duplicates = new LongAdder();

  /** Deltas that skipped past what was held: each asked its sender for a digest answer. */
  final LongAdder gaps = new LongAdder();

  /** Changes of owners the control plane has not admitted (yet, or any more). */
  final LongAdder unknownOwners = new LongAdder();

  /** Changes a follower sent of an owner other than itself: refused. */
  final LongAdder forged = new LongAdder();

  /** Frames that did not decode: dropped. */
  final LongAdder malformed = new LongAdder();

  /**
   * Frames over the frame limit even after chunking (one instance at every field's bound, or a
   * digest of tens of thousands of owners): not sent, logged with the owner.
   */
  final LongAdder oversized = new LongAdder();

  /** Chunks of owners' states received (on links that may carry their owner). */
  final LongAdder chunksReceived = new LongAdder();

  /** Chunks stale, duplicate or out of order: dropped, the staging unchanged. */
  final LongAdder chunksIgnored = new LongAdder();

  /**
   * Owners a digest answer left out: their changes up to the version held here were sent on that
   * link already and the peer is catching up (CatalogRelay's repair).
   */
  final LongAdder repairsDeferred = new LongAdder();

  /** Chunks over the per-link staging bound or inconsistent: dropped with their owner's staging. */
  final LongAdder chunksRefused = new LongAdder();

  final LongAdder framesSent = new LongAdder();
  final LongAdder bytesSent = new LongAdder();
  final LongAdder framesReceived = new LongAdder();
  final LongAdder bytesReceived = new LongAdder();

  void count(ApplyOutcome outcome) {
    switch (outcome) {
      case APPLIED -> applied.increment();
      case DUPLICATE, STALE -> duplicates.increment();
      case GAP -> gaps.increment();
      case UNKNOWN_OWNER -> unknownOwners.increment();
    }
  }

  void sent(int bytes) {
    framesSent.increment();
    bytesSent.add(bytes);
  }

  public long applied() {
    return applied.sum();
  }

  public long duplicates() {
    return duplicates.sum();
  }

  public long gaps() {
    return gaps.sum();
  }

  public long unknownOwners() {
    return unknownOwners.sum();
  }

  public long forged() {
    return forged.sum();
  }

  public long malformed() {
    return malformed.sum();
  }

  public long oversized() {
    return oversized.sum();
  }

  public long chunksReceived() {
    return chunksReceived.sum();
  }

  public long chunksIgnored() {
    return chunksIgnored.sum();
  }

  public long repairsDeferred() {
    return repairsDeferred.sum();
  }

  public long chunksRefused() {
    return chunksRefused.sum();
  }

  public long framesSent() {
    return framesSent.sum();
  }

  public long bytesSent() {
    return bytesSent.sum();
  }

  public long framesReceived() {
    return framesReceived.sum();
  }

  public long bytesReceived() {
    return bytesReceived.sum();
  }
}
