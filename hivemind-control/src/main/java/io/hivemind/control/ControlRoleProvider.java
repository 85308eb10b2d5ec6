package io.hivemind.control;

import io.hivemind.server.role.Role;
import io.hivemind.server.role.RoleProvider;

/**
 * The {@code control} role's entry for {@link java.util.ServiceLoader}. It names {@link
 * ControlRole} only inside {@link #create}, so an agent that does not perform the role loads this
 * small class and no Ratis class.
 */
public final class ControlRoleProvider implements RoleProvider {

  @Override
  public String name() {
    return io.hivemind.server.role.ControlConfig.CONTROL_ROLE;
  }

  @Override
  public Role create() {
    return new ControlRole();
  }
}
