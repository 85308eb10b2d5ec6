package io.hivemind.server.agent;

import java.util.List;
import java.util.Set;

/**
 * The role names an agent knows. The one list to change when roles become pluggable (a {@link
 * java.util.ServiceLoader} of role providers would then build {@link #KNOWN}).
 */
public final class Roles {

  /** Every role a node may perform, in the order sentences list them. */
  public static final List<String> KNOWN = List.of("control", "catalog", "dns", "host");

  /** Roles of a plain agent: everything but {@code control}, which needs a quorum plan. */
  public static final Set<String> DEFAULT = Set.of("catalog", "dns", "host");

  private Roles() {}

  /** True when {@code role} (already lower-case) is a known role. */
  static boolean isKnown(String role) {
    return KNOWN.contains(role);
  }
}
