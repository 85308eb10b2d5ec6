package io.hivemind.core.control;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclAuthorizer;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclToken;
import java.util.Optional;

/**
 * The ACL access a control command needs from the token of the request it was made for: the same
 * rule the HTTP API applies to the route that makes it (docs/acl.md), so a control node can check
 * it again when a follower submits the command. Without that second check a node holding a cluster
 * certificate could write any key or mint a management token whatever the agent's ACLs say.
 *
 * <p>Only commands made for an HTTP request are covered: a KV write or delete, an ACL token's
 * creation or deletion, an event. The rest are the agent's own (admissions, leaves, observations,
 * moves: bound to its certificate by {@link CertifiedSubmitter}) or persistent catalogue
 * registrations, which an agent also makes for the external services of its own configuration, with
 * no request and so no token to check. Pure.
 */
public final class CommandAccess {

  /**
   * An access to a name of a resource; {@code under}: to every name that starts with it too (a
   * recursive KV delete).
   */
  public record Need(AclResource resource, String name, AclAccess access, boolean under) {}

  private CommandAccess() {}

  /** What {@code command} needs, or empty when a token does not decide it. */
  public static Optional<Need> of(ControlCommand command) {
    if (command instanceof ControlCommand.KvSet set) {
      return Optional.of(new Need(AclResource.KEY, set.key(), AclAccess.WRITE, false));
    }
    if (command instanceof ControlCommand.KvDelete delete) {
      return Optional.of(
          new Need(AclResource.KEY, delete.key(), AclAccess.WRITE, delete.recurse()));
    }
    if (command instanceof ControlCommand.AclTokenUpsert
        || command instanceof ControlCommand.AclTokenDelete) {
      return Optional.of(new Need(AclResource.ACL, "", AclAccess.WRITE, false));
    }
    if (command instanceof ControlCommand.AppendEvent) {
      return Optional.of(new Need(AclResource.OPERATOR, "", AclAccess.WRITE, false));
    }
    return Optional.empty();
  }

  /**
   * Why {@code token} (null: none presented) may not have {@code command} committed, or empty when
   * it may (or when a token does not decide the command).
   */
  public static Optional<String> refusal(
      ControlCommand command, AclToken token, AclAuthorizer authorizer) {
    Optional<Need> need = of(command);
    if (need.isEmpty()) {
      return Optional.empty();
    }
    Need n = need.get();
    boolean allowed =
        n.under()
            ? authorizer.allowsUnder(token, n.resource(), n.name(), n.access())
            : authorizer.allows(token, n.resource(), n.name(), n.access());
    if (allowed) {
      return Optional.empty();
    }
    return Optional.of(
        (token == null ? "a request without a token" : "the request's token")
            + " may not "
            + n.access().name().toLowerCase(java.util.Locale.ROOT)
            + " "
            + n.resource().ruleName()
            + (n.name().isEmpty() ? "" : " '" + n.name() + "'" + (n.under() ? " and under it" : ""))
            + ", which "
            + command.getClass().getSimpleName()
            + " needs");
  }
}
