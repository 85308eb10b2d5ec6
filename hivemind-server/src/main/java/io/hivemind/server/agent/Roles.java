package io.hivemind.server.agent;

import io.hivemind.server.role.ControlConfig;
import io.hivemind.server.role.RoleRegistry;
import java.util.List;
import java.util.Set;

/**
 * The role names an agent knows: those of the {@link io.hivemind.server.role.RoleProvider}s on the
 * class path, discovered once, on first use. {@code control} is known only where its module
 * (hivemind-control) is on the class path; {@code catalog}, {@code dns} and {@code host} are built
 * into the server.
 */
public final class Roles {

  /** The role that runs the control plane. */
  public static final String CONTROL = ControlConfig.CONTROL_ROLE;

  /**
   * Roles of a plain agent: {@code catalog} and {@code host}. {@code control} needs a quorum plan;
   * {@code dns} is chosen per host ({@code --role dns}, and every role in {@code hivemind dev}),
   * because it costs every agent that carries it 1.2-1.8 MB, a thread and 136 classes
   * (docs/benchmarks.md, "DNS"), and a plain agent's footprint is held to 64 MB (issue 10).
   */
  public static final Set<String> DEFAULT = Set.of("catalog", "host");

  private Roles() {}

  /** Discovered on first use: a launcher that fails earlier never scans the class path. */
  private static final class Discovered {
    static final RoleRegistry REGISTRY = RoleRegistry.discover(Roles.class.getClassLoader());
  }

  /** The roles this agent can perform, from the providers on its class path. */
  public static RoleRegistry registry() {
    return Discovered.REGISTRY;
  }

  /** Every role a node may perform, sorted, in the order sentences list them. */
  public static List<String> known() {
    return registry().names();
  }

  /** True when {@code role} (already lower-case) is a known role. */
  static boolean isKnown(String role) {
    return registry().contains(role);
  }
}
