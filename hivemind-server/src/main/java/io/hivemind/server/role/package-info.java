/**
 * The role SPI: what a node performs ({@code control}, {@code catalog}, {@code dns}, {@code host},
 * or a role a plugin adds), found with {@link java.util.ServiceLoader} so that a new role changes
 * no core code (seed 001: "the architecture has to be expandable").
 *
 * <p>A plugin ships a {@link io.hivemind.server.role.RoleProvider} listed in {@code
 * META-INF/services/io.hivemind.server.role.RoleProvider}. {@link
 * io.hivemind.server.role.RoleRegistry} reads only the providers' names until a role is configured,
 * so a plain agent never loads the classes of a role it does not perform (the control role's Ratis
 * classes above all). Roles see the node through {@link io.hivemind.server.role.RoleContext} and
 * {@link io.hivemind.server.role.NodeConfig}, never the agent package, which is the composition
 * root and imports this one.
 */
package io.hivemind.server.role;
