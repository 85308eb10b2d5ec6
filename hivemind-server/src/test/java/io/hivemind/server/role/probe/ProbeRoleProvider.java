package io.hivemind.server.role.probe;

import io.hivemind.server.role.Role;
import io.hivemind.server.role.RoleProvider;

/**
 * A role from outside the server's code, registered in the test class path's {@code
 * META-INF/services} only: it plugs in with no change to the registry or the settings, as a
 * plugin's would.
 */
public final class ProbeRoleProvider implements RoleProvider {

  @Override
  public String name() {
    return ProbeRole.NAME;
  }

  @Override
  public Role create() {
    return new ProbeRole();
  }
}
