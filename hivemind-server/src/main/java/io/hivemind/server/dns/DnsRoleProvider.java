package io.hivemind.server.dns;

import io.hivemind.server.role.Role;
import io.hivemind.server.role.RoleProvider;

/**
 * The built-in {@code dns} role's {@link java.util.ServiceLoader} entry. It names {@link DnsRole}
 * only in {@link #create}, so an agent that does not perform the role loads no other DNS class
 * (docs/adr/0005-dns-library.md).
 */
public final class DnsRoleProvider implements RoleProvider {

  /** The role's name. */
  public static final String NAME = "dns";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Role create() {
    return new DnsRole();
  }
}
