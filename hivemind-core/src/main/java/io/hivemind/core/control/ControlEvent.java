package io.hivemind.core.control;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of the cluster's event log.
 *
 * <p>Holds its own copy of the payload and hands out copies, so it stays immutable; equality
 * compares the payload's bytes (a record would compare the array's identity).
 *
 * @param index the log index of the entry that appended it (monotonic; several events of one entry
 *     share it and keep their order)
 * @param epoch the cluster epoch after the entry
 * @param timeMillis the entry's proposer time
 * @param type {@link #MEMBER_ADMITTED} and the other built-in types, or a role's own type
 * @param subject what it is about (a member's name, a role's source)
 * @param payload free-form bytes (UTF-8 text for the built-in types, see docs/protocol/control.md)
 */
public record ControlEvent(
    long index, long epoch, long timeMillis, String type, String subject, byte[] payload) {

  public static final String MEMBER_ADMITTED = "member-admitted";
  public static final String MEMBER_LEFT = "member-left";
  public static final String MEMBER_REMOVED = "member-removed";
  public static final String EPOCH_CHANGED = "epoch-changed";

  /** The types only the state machine appends: a role's AppendEvent may not forge them. */
  public static final Set<String> BUILT_IN_TYPES =
      Set.of(MEMBER_ADMITTED, MEMBER_LEFT, MEMBER_REMOVED, EPOCH_CHANGED);

  public ControlEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subject, "subject");
    payload = payload.clone();
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload read as UTF-8 (the built-in types' payloads are text). */
  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ControlEvent that
        && index == that.index
        && epoch == that.epoch
        && timeMillis == that.timeMillis
        && type.equals(that.type)
        && subject.equals(that.subject)
        && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, epoch, timeMillis, type, subject, Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "ControlEvent[index="
        + index
        + ", epoch="
        + epoch
        + ", timeMillis="
        + timeMillis
        + ", type="
        + type
        + ", subject="
        + subject
        + ", payload="
        + payload.length
        + " bytes]";
  }
}
