package io.hivemind.server.transport;

import io.hivemind.core.state.StateClientMessage.ErrorCode;
import io.hivemind.core.state.StateClientMessage.Refusal;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the state client port (docs/metrics.md, {@code hivemind.state.client.*}). Written by
 * the port's event loops, read by metrics and tests from any thread.
 */
public final class StateClientStats {

  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder welcomed = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder overloaded = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder[] refusals = adders(Refusal.values().length);
  private final LongAdder[] errors = adders(ErrorCode.values().length);

  private static LongAdder[] adders(int n) {
    LongAdder[] all = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      all[i] = new LongAdder();
    }
    return all;
  }

  /** A connection accepted; returns how many are open with it. */
  int opened() {
    accepted.increment();
    return open.incrementAndGet();
  }

  void closed() {
    open.decrementAndGet();
  }

  void countWelcomed() {
    welcomed.increment();
  }

  void countRequest() {
    requests.increment();
  }

  void countOverloaded() {
    overloaded.increment();
  }

  void countMalformed() {
    malformed.increment();
  }

  void countRefusal(Refusal reason) {
    refusals[reason.ordinal()].increment();
  }

  void countError(ErrorCode code) {
    errors[code.ordinal()].increment();
  }

  /** Connections open now. */
  public int connections() {
    return open.get();
  }

  /** Connections accepted since start. */
  public long accepted() {
    return accepted.sum();
  }

  /** Hellos answered with a welcome. */
  public long welcomed() {
    return welcomed.sum();
  }

  /** Requests handed to the store. */
  public long requests() {
    return requests.sum();
  }

  /** Requests beyond a connection's in-flight bound, answered OVERLOADED without the store. */
  public long overloaded() {
    return overloaded.sum();
  }

  /** Connections closed for a frame that was not a valid message (after the hello too). */
  public long malformed() {
    return malformed.sum();
  }

  /** Connections refused for {@code reason}. */
  public long refusals(Refusal reason) {
    return refusals[reason.ordinal()].sum();
  }

  /** Requests the agent answered with error {@code code} itself. */
  public long errors(ErrorCode code) {
    return errors[code.ordinal()].sum();
  }
}
