package io.hivemind.core.control;

import java.util.Objects;

/**
 * One observer's report about a subject's liveness, from its own probes (not from gossip it heard).
 *
 * @param observer the reporting member's id
 * @param subject the subject member's id
 * @param subjectName the subject's name (for logs and events)
 * @param incarnation the subject's incarnation the observer knows
 * @param kind what the observer saw
 * @param localHealth the observer's Lifeguard local health multiplier (0 = healthy); a report from
 *     an observer that doubts itself counts for less
 * @param observedAtMillis when, on the reporting node's clock
 */
public record Observation(
    String observer,
    String subject,
    String subjectName,
    long incarnation,
    Kind kind,
    int localHealth,
    long observedAtMillis) {

  /** What an observer saw. */
  public enum Kind {
    /** Its probe of the subject, direct and indirect, failed: it now suspects the subject. */
    SUSPECT,
    /** The subject answered (or refuted): the observer's suspicion, if any, is over. */
    ALIVE
  }

  public Observation {
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(subjectName, "subjectName");
    Objects.requireNonNull(kind, "kind");
  }
}
