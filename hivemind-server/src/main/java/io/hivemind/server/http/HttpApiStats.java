package io.hivemind.server.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connection counters of one {@link HttpApi}: how many connections are open, how many were refused
 * at the cap, how many requests did not arrive in time, how many accepts failed. Exported by the
 * agent's metrics ({@code hivemind_http_*}, docs/metrics.md).
 *
 * <p>Written by the API's event loop, read by any thread (a scrape): counters are {@link
 * LongAdder}s and the open count an {@link AtomicInteger}, so reads are never torn.
 */
public final class HttpApiStats {

  final AtomicInteger connectionsOpen = new AtomicInteger();
  final LongAdder connectionsAccepted = new LongAdder();
  final LongAdder connectionsRejected = new LongAdder();
  final LongAdder headTimeouts = new LongAdder();
  final LongAdder bodyTimeouts = new LongAdder();
  final LongAdder acceptErrors = new LongAdder();
  final LongAdder uploadsRefused = new LongAdder();

  /** Connections open now: served ones, never more than the cap. */
  public int connectionsOpen() {
    return connectionsOpen.get();
  }

  /** Connections accepted and served (not counting refused ones). */
  public long connectionsAccepted() {
    return connectionsAccepted.sum();
  }

  /** Connections refused with a 503 because the cap was reached. */
  public long connectionsRejected() {
    return connectionsRejected.sum();
  }

  /**
   * Requests whose request line and headers did not all arrive within the head timeout (a
   * connection that sent nothing within it counts too); each got a 408 and its connection closed.
   */
  public long headTimeouts() {
    return headTimeouts.sum();
  }

  /**
   * Requests whose body did not all arrive within the body timeout; each got a 408, then closed.
   */
  public long bodyTimeouts() {
    return bodyTimeouts.sum();
  }

  /**
   * Requests refused with a 503 because the bodies every connection was receiving had used up the
   * API's budget for them ({@link BodyBudget}).
   */
  public long uploadsRefused() {
    return uploadsRefused.sum();
  }

  /** Times the listener failed to accept (most often: the process is out of file descriptors). */
  public long acceptErrors() {
    return acceptErrors.sum();
  }

  @Override
  public String toString() {
    return "HttpApiStats{open="
        + connectionsOpen()
        + ", accepted="
        + connectionsAccepted()
        + ", rejected="
        + connectionsRejected()
        + ", headTimeouts="
        + headTimeouts()
        + ", bodyTimeouts="
        + bodyTimeouts()
        + ", acceptErrors="
        + acceptErrors()
        + ", uploadsRefused="
        + uploadsRefused()
        + "}";
  }
}
