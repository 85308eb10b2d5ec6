package io.hivemind.sim.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A membership change the partition simulator applies. */
public enum PartitionEvent {
  /** A new member on a new host joins. */
  JOIN,
  /** A member leaves gracefully: its replicas move off it before it goes. */
  LEAVE,
  /** A member crashes: its replicas are gone, its partitions' backups take over. */
  CRASH;

  /** Most events one scenario may list: each plans a whole table. */
  public static final int MAX_EVENTS = 10_000;

  /**
   * Parses a comma-separated list such as {@code join,leave,crash:3} (plural forms accepted; a
   * {@code :K} suffix repeats an event K times).
   *
   * @throws IllegalArgumentException naming the token that is not an event
   */
  public static List<PartitionEvent> parseList(String text) {
    List<PartitionEvent> events = new ArrayList<>();
    for (String token : text.split(",", -1)) {
      String[] parts = token.trim().split(":", -1);
      if (parts.length > 2) {
        throw new IllegalArgumentException("not an event: '" + token + "'");
      }
      PartitionEvent event = parse(parts[0], token);
      int times = parts.length == 2 ? repeat(parts[1], token) : 1;
      if (events.size() + times > MAX_EVENTS) {
        throw new IllegalArgumentException("more than " + MAX_EVENTS + " events");
      }
      for (int i = 0; i < times; i++) {
        events.add(event);
      }
    }
    return List.copyOf(events);
  }

  private static PartitionEvent parse(String name, String token) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "join", "joins" -> JOIN;
      case "leave", "leaves" -> LEAVE;
      case "crash", "crashes" -> CRASH;
      default ->
          throw new IllegalArgumentException(
              "not an event (join, leave or crash, optionally :K): '" + token + "'");
    };
  }

  private static int repeat(String count, String token) {
    try {
      int times = Integer.parseInt(count.trim());
      if (times >= 1) {
        return times;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below, which names the token
    }
    throw new IllegalArgumentException("repeat count must be a positive integer: '" + token + "'");
  }
}
