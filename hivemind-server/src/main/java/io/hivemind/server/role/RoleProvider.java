package io.hivemind.server.role;

/**
 * The {@link java.util.ServiceLoader} entry of one role: a small class with a public no-argument
 * constructor, listed in {@code META-INF/services/io.hivemind.server.role.RoleProvider}.
 *
 * <p>The registry instantiates every provider to learn its {@link #name}, and calls {@link #create}
 * only for a role the node is configured to perform. So a provider must stay cheap: it names the
 * role's class only inside {@code create}, so that the role's classes (and what they import, such
 * as Ratis for the control role) are loaded only when the role is performed.
 */
public interface RoleProvider {

  /** The role's name: lower-case ASCII letters, digits and '-', starting with a letter. */
  String name();

  /** A new instance of the role, not yet started. */
  Role create();
}
