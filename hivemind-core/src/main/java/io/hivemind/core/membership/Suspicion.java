package io.hivemind.core.membership;

import java.util.HashSet;
import java.util.Set;

/**
 * One suspicion about one member, with Lifeguard's dynamic timeout (Lifeguard §IV-B, memberlist
 * {@code suspicion.go}).
 *
 * <p>The timeout starts at {@code max} and shrinks towards {@code min} as independent members
 * confirm the suspicion: {@code timeout(n) = max(min, max − (max − min) · log(n+1) / log(k+1))},
 * where {@code n} counts confirmations and {@code k} is how many are expected. A suspicion that
 * many members share is resolved fast; a lone suspicion, which is more likely the accuser's own
 * problem, waits longer so the accused has time to refute.
 *
 * <p>Owned by the node's thread.
 */
final class Suspicion {

  private final long startMillis;
  private final long minMillis;
  private final long maxMillis;
  private final int expectedConfirmations;
  private final Set<String> confirmers = new HashSet<>();
  private TimerQueue.Timer timer;

  Suspicion(String accuser, int expectedConfirmations, long minMillis, long maxMillis, long now) {
    this.startMillis = now;
    this.minMillis = minMillis;
    this.maxMillis = Math.max(minMillis, maxMillis);
    this.expectedConfirmations = expectedConfirmations;
    // The first accuser is not a confirmation of its own accusation.
    confirmers.add(accuser);
  }

  /** The timeout after {@code confirmations} independent confirmations (test vectors: docs). */
  static long timeoutMillis(int confirmations, int expected, long minMillis, long maxMillis) {
    if (expected < 1) {
      return minMillis;
    }
    double fraction = Math.log(confirmations + 1.0) / Math.log(expected + 1.0);
    long timeout = (long) Math.floor(maxMillis - fraction * (maxMillis - minMillis));
    return Math.max(minMillis, timeout);
  }

  /**
   * Records a confirmation from {@code from}.
   *
   * @return true when it was new and the deadline moved, so the caller should re-arm the timer and
   *     pass the confirmation on
   */
  boolean confirm(String from) {
    if (confirmations() >= expectedConfirmations || confirmers.contains(from)) {
      return false;
    }
    confirmers.add(from);
    return true;
  }

  int confirmations() {
    return confirmers.size() - 1;
  }

  long deadlineMillis() {
    return startMillis
        + timeoutMillis(confirmations(), expectedConfirmations, minMillis, maxMillis);
  }

  void arm(TimerQueue.Timer newTimer) {
    cancel();
    timer = newTimer;
  }

  void cancel() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
