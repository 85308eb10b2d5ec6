package io.hivemind.server.role.probe;

import io.hivemind.server.role.Role;
import io.hivemind.server.role.RoleContext;
import io.hivemind.server.role.RoleProvider;

/**
 * Stands in for hivemind-control's provider, which depends on this module and so is never on its
 * test class path: the settings tests need {@code control} to be a known role, as it is in the
 * distribution.
 */
public final class ControlStandInProvider implements RoleProvider {

  @Override
  public String name() {
    return "control";
  }

  @Override
  public Role create() {
    return new Role() {
      @Override
      public String name() {
        return "control";
      }

      @Override
      public void start(RoleContext context) {
        // A stand-in: no control plane.
      }

      @Override
      public void stop() {
        // Nothing was started.
      }
    };
  }
}
