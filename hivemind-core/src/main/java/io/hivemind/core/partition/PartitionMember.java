package io.hivemind.core.partition;

import java.util.Objects;

/**
 * A member as the partition table sees it: its id and the failure domains it lives in.
 *
 * @param id the member's unique id (the control plane's node id)
 * @param host the machine it runs on; two replicas of a partition never share one
 * @param zone the zone (rack, availability zone) it runs in, or "" when unknown; when every member
 *     has one, two replicas of a partition never share a zone either
 */
public record PartitionMember(String id, String host, String zone) {

  /** Longest id, host or zone accepted: bounds what a table costs to hold and to send. */
  public static final int MAX_NAME_LENGTH = 256;

  public PartitionMember {
    requireName("id", id);
    requireName("host", host);
    Objects.requireNonNull(zone, "zone");
    if (zone.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("zone longer than " + MAX_NAME_LENGTH + ": " + zone);
    }
  }

  /** A member with no zone. */
  public static PartitionMember onHost(String id, String host) {
    return new PartitionMember(id, host, "");
  }

  /** Whether a zone is set. */
  public boolean hasZone() {
    return !zone.isEmpty();
  }

  private static void requireName(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isBlank() || value.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          what + " must be 1 to " + MAX_NAME_LENGTH + " characters, not blank: '" + value + "'");
    }
  }
}
