package io.hivemind.core.membership;

/**
 * Lifeguard's local health multiplier (Lifeguard §IV-A, memberlist {@code awareness.go}): a score
 * from 0 (healthy) to {@code max − 1} that rises when this node's own probes go unanswered or when
 * it must refute a suspicion, and falls with each successful probe. Probe intervals and timeouts
 * are stretched by {@code score + 1}, so a node that is slow itself (an overloaded CPU, a flaky
 * NIC) probes less eagerly instead of accusing healthy members.
 *
 * <p>Owned by the node's thread.
 */
final class LocalHealth {

  private final int maxMultiplier;
  private int score;

  LocalHealth(int maxMultiplier) {
    this.maxMultiplier = maxMultiplier;
  }

  void apply(int delta) {
    score = Math.max(0, Math.min(maxMultiplier - 1, score + delta));
  }

  int score() {
    return score;
  }

  long scale(long millis) {
    return millis * (score + 1);
  }
}
