package io.hivemind.server.role.probe;

import io.hivemind.server.role.Role;
import io.hivemind.server.role.RoleContext;
import java.util.Set;

/**
 * The probe role. RoleRegistryTest checks that discovery never loads this class, as a plain agent's
 * must never load the control role's (and through it Ratis).
 */
public final class ProbeRole implements Role {

  static final String NAME = "probe";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> requires() {
    return Set.of("host");
  }

  @Override
  public Set<String> requiredForBootstrap() {
    return Set.of("catalog");
  }

  @Override
  public void start(RoleContext context) {
    // The registry tests create it; none starts it.
  }

  @Override
  public void stop() {
    // Nothing was started.
  }
}
