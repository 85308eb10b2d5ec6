package io.hivemind.core.control;

import java.util.List;

/**
 * The removal rule decided that {@code memberId} failed; {@code why} is one sentence for logs.
 *
 * @param incarnation the highest incarnation the deciding suspicions held: what a member applying
 *     the removal compares with the incarnation it knows
 */
public record RemovalDecision(
    String memberId, long incarnation, List<String> observers, String why) {
  public RemovalDecision {
    observers = List.copyOf(observers);
  }
}
