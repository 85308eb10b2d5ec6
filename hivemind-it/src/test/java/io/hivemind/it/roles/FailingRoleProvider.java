package io.hivemind.it.roles;

import io.hivemind.server.role.Role;
import io.hivemind.server.role.RoleProvider;

/** The {@code it-failing} role of AgentRolesIT. */
public final class FailingRoleProvider implements RoleProvider {

  static final String NAME = "it-failing";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Role create() {
    return new RecordingRole(NAME);
  }
}
