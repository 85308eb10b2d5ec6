package io.hivemind.core.control;

import java.util.List;

/** The removal rule decided that {@code memberId} failed; {@code why} is one sentence for logs. */
public record RemovalDecision(String memberId, List<String> observers, String why) {
  public RemovalDecision {
    observers = List.copyOf(observers);
  }
}
