package io.hivemind.api;

import java.util.Map;

/**
 * Figures of an agent's membership view, the {@code Stats} part of {@code GET /v1/agent/self}.
 * Written with UpperCamelCase names ({@code Members}, {@code Alive}); the keys of {@code Counters}
 * are written as they are.
 *
 * @param members every member the agent knows, itself included, in any state
 * @param alive members in state {@link MemberState#ALIVE}
 * @param suspect members in state {@link MemberState#SUSPECT}
 * @param dead members in state {@link MemberState#DEAD}
 * @param left members in state {@link MemberState#LEFT}
 * @param counters the agent's gossip counters since it started, by snake_case name (such as {@code
 *     packets_sent} or {@code probe_failures}); the set of names may grow
 */
public record AgentStats(
    int members, int alive, int suspect, int dead, int left, Map<String, Long> counters) {

  /**
   * Copies the counters; a missing map reads as empty.
   *
   * @param members every member known
   * @param alive members alive
   * @param suspect members suspect
   * @param dead members dead
   * @param left members left
   * @param counters gossip counters by name
   */
  public AgentStats {
    counters = counters == null ? Map.of() : Map.copyOf(counters);
  }
}
