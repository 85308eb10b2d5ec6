package io.hivemind.it.roles;

import io.hivemind.server.role.Role;
import io.hivemind.server.role.RoleProvider;

/** The {@code it-b} role of AgentRolesIT. */
public final class SecondRecorderProvider implements RoleProvider {

  static final String NAME = "it-b";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Role create() {
    return new RecordingRole(NAME);
  }
}
