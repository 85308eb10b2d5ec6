package io.hivemind.core.control;

import java.util.Objects;

/**
 * One entry of the cluster's event log.
 *
 * @param index the log index of the entry that appended it (monotonic; several events of one entry
 *     share it and keep their order)
 * @param epoch the cluster epoch after the entry
 * @param timeMillis the entry's proposer time
 * @param type {@link #MEMBER_ADMITTED} and the other built-in types, or a role's own type
 * @param subject what it is about (a member's name, a KV key, a role's source)
 * @param payload free-form bytes (UTF-8 text for the built-in types)
 */
public record ControlEvent(
    long index, long epoch, long timeMillis, String type, String subject, byte[] payload) {

  public static final String MEMBER_ADMITTED = "member-admitted";
  public static final String MEMBER_LEFT = "member-left";
  public static final String MEMBER_REMOVED = "member-removed";
  public static final String EPOCH_CHANGED = "epoch-changed";

  public ControlEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subject, "subject");
    payload = payload.clone();
  }
}
