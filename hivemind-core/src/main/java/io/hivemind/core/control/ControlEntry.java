package io.hivemind.core.control;

import java.util.Objects;

/**
 * One log entry: a command, the wire version it was written with, and the proposer's wall-clock
 * time (the state machine reads no clock: events and the removal rule take their time from here).
 */
public record ControlEntry(int version, long timeMillis, ControlCommand command) {

  /** The version this code writes. Decoding refuses a newer one with a clear error. */
  public static final int CURRENT_VERSION = 1;

  public ControlEntry {
    Objects.requireNonNull(command, "command");
  }

  public static ControlEntry of(long timeMillis, ControlCommand command) {
    return new ControlEntry(CURRENT_VERSION, timeMillis, command);
  }
}
