package io.hivemind.server.role;

import java.io.IOException;
import java.util.Set;

/**
 * Something a node performs for the cluster. Seed 001 gives each role three lists: what the node
 * performs (this role's {@link #name}), the roles it needs present in the cluster to operate
 * ({@link #requires}) and those it needs to bootstrap ({@link #requiredForBootstrap}).
 *
 * <p>Lifecycle: the agent calls {@link #start} once, after its HTTP API is up, and {@link #stop}
 * once, in the reverse order of the starts, before the API closes. Both are called from the agent's
 * start and close thread; a role runs its work on threads of its own and returns.
 */
public interface Role {

  /** The name operators configure ({@code roles: [dns]}); lower case, as {@link RoleProvider}. */
  String name();

  /** Roles that must be present in the cluster before this one operates; none by default. */
  default Set<String> requires() {
    return Set.of();
  }

  /** Roles that must be present before a cluster with this role can bootstrap; none by default. */
  default Set<String> requiredForBootstrap() {
    return Set.of();
  }

  /**
   * Starts performing the role. Returns once the role is running or has failed to start.
   *
   * @throws IOException when a port or file the role needs cannot be had (the message names it);
   *     the agent then stops the roles started before this one and does not start
   */
  void start(RoleContext context) throws IOException;

  /** Stops performing the role and releases what it holds. Idempotent; never throws. */
  void stop();
}
