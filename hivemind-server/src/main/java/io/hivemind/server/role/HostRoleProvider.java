package io.hivemind.server.role;

/**
 * The built-in {@code host} role: a host that publishes configuration updates other roles consume
 * (seed 001); it has no work yet. Until then it is a {@link DeclaredRole}: performed by being
 * announced, doing nothing else.
 */
public final class HostRoleProvider implements RoleProvider {

  /** The role's name. */
  public static final String NAME = "host";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Role create() {
    return new DeclaredRole(NAME);
  }
}
