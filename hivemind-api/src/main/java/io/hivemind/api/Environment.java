package io.hivemind.api;

import java.util.Locale;

/**
 * The well-known environments. Environments are strictly separated: a node or client of one
 * environment never talks to a node of another (every packet carries its environment, and a
 * mismatch is refused, logged and counted).
 */
public enum Environment {
  PRODUCTION,
  STAGING,
  TESTING,
  DEVELOPMENT;

  /**
   * Parses an environment name case-insensitively.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static Environment parse(String name) {
    if (name != null) {
      for (Environment environment : values()) {
        if (environment.name().equalsIgnoreCase(name.trim())) {
          return environment;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown environment '"
            + name
            + "': expected one of production, staging, testing, development");
  }

  /** The lower-case name used in configuration, logs and JSON. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
