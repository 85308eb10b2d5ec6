package io.hivemind.core.catalog;

import java.util.Locale;

/** A check's or an instance's health, in Consul's three states, ordered from best to worst. */
public enum HealthStatus {
  PASSING,
  WARNING,
  CRITICAL;

  /** The worse of the two. */
  public HealthStatus worst(HealthStatus other) {
    return compareTo(other) >= 0 ? this : other;
  }

  /** The name Consul's JSON uses: {@code passing}, {@code warning}, {@code critical}. */
  public String consulName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses Consul's name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the value when it is none of the three
   */
  public static HealthStatus parse(String name) {
    for (HealthStatus status : values()) {
      if (status.name().equalsIgnoreCase(name.trim())) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "unknown health status '" + name + "' (passing, warning or critical)");
  }
}
