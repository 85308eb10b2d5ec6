package io.hivemind.it.roles;

import io.hivemind.server.role.Role;
import io.hivemind.server.role.RoleProvider;

/** The {@code it-a} role of AgentRolesIT. */
public final class FirstRecorderProvider implements RoleProvider {

  static final String NAME = "it-a";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Role create() {
    return new RecordingRole(NAME);
  }
}
