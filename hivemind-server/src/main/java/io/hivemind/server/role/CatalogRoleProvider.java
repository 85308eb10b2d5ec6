package io.hivemind.server.role;

/**
 * The built-in {@code catalog} role: the service catalogue (registrations, health, their life tied
 * to the committed membership); the catalogue issue fills it. Until then it is a {@link
 * DeclaredRole}: performed by being announced, doing nothing else.
 */
public final class CatalogRoleProvider implements RoleProvider {

  /** The role's name. */
  public static final String NAME = "catalog";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Role create() {
    return new DeclaredRole(NAME);
  }
}
