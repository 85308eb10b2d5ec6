package io.hivemind.server.role;

/**
 * The built-in {@code dns} role: the DNS interface; the DNS issue fills it. Until then it is a
 * {@link DeclaredRole}: performed by being announced, doing nothing else.
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
    return new DeclaredRole(NAME);
  }
}
