package io.hivemind.api;

import java.util.Base64;

/**
 * One entry of the cluster's event log as {@code /v1/event/list}, {@code /v1/event/fire/{name}} and
 * the {@code /v1/event/stream} answer it: Consul's user-event shape ({@code ID}, {@code Name},
 * {@code Payload}, the three filters, {@code Version}, {@code LTime}) plus Hivemind's {@code
 * Index}, {@code Epoch}, {@code Subject} and {@code TimeMillis}.
 *
 * <p>Mapping: {@code Name} is the event's type: the built-in {@code member-admitted}, {@code
 * member-left}, {@code member-removed} and {@code epoch-changed} (their {@code Subject} is the
 * member's name or the cluster, their payload a UTF-8 sentence), or the type a role or {@code PUT
 * /v1/event/fire/{name}} appended (their {@code Subject} is the node that published it). {@code
 * LTime} and {@code Index} are the control-plane log index of the entry that appended the event:
 * monotonic, and shared by the events of one entry; {@code ID} is {@code <index>-<position in the
 * entry>}.
 *
 * @param id unique: the log index and the event's position within its entry
 * @param name the event's type
 * @param payload the payload in base64, or null when empty
 * @param nodeFilter always "": events go to every agent
 * @param serviceFilter always ""
 * @param tagFilter always ""
 * @param version always 1
 * @param lTime the log index (Consul's Lamport time)
 * @param index the log index of the entry that appended the event
 * @param epoch the cluster epoch after that entry
 * @param subject what it is about: a member's name, or the publishing node
 * @param timeMillis the entry's time, in milliseconds since the epoch, on the proposer's clock
 */
public record UserEvent(
    String id,
    String name,
    String payload,
    String nodeFilter,
    String serviceFilter,
    String tagFilter,
    int version,
    long lTime,
    long index,
    long epoch,
    String subject,
    long timeMillis) {

  /**
   * The payload's bytes.
   *
   * @return the decoded payload; empty when it has none
   * @throws IllegalArgumentException when {@link #payload} is not base64
   */
  public byte[] decodedPayload() {
    return payload == null ? new byte[0] : Base64.getDecoder().decode(payload);
  }
}
