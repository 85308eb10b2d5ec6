package io.hivemind.core.control;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclAuthorizer;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ACL access a control command needs from the token of the request it was made for: the same
 * rule the HTTP API applies to the route that makes it (docs/acl.md), so a control node can check
 * it again when a follower submits the command. Without that second check a node holding a cluster
 * certificate could write any key or mint a management token whatever the agent's ACLs say.
 *
 * <p>Only commands made for a request are covered: a KV write, delete, lock or transaction, a
 * session's creation, renewal or end, an ACL token's creation or deletion, an event, a persistent
 * catalogue registration or deregistration (the external services of an agent's own configuration
 * are proposed with its agent token, docs/acl.md). The rest are the agent's own (admissions,
 * leaves, observations, moves: bound to its certificate by {@link CertifiedSubmitter}). Pure.
 */
public final class CommandAccess {

  /**
   * An access to a name of a resource; {@code under}: to every name that starts with it too (a
   * recursive KV delete).
   */
  public record Need(AclResource resource, String name, AclAccess access, boolean under) {}

  private CommandAccess() {}

  /** What {@code command} needs, every one of them; none when a token does not decide it. */
  public static List<Need> of(ControlCommand command) {
    if (command instanceof ControlCommand.KvSet set) {
      return List.of(write(AclResource.KEY, set.key()));
    }
    if (command instanceof ControlCommand.KvDelete delete) {
      return List.of(new Need(AclResource.KEY, delete.key(), AclAccess.WRITE, delete.recurse()));
    }
    if (command instanceof ControlCommand.KvLock lock) {
      return List.of(write(AclResource.KEY, lock.key()));
    }
    if (command instanceof ControlCommand.KvTxn txn) {
      // Consul's rule: each operation needs what it would need alone; a read or check, key:read.
      List<Need> needs = new ArrayList<>();
      for (KvOp op : txn.ops()) {
        Optional<ControlCommand> write = op.asWrite();
        if (write.isPresent()) {
          needs.addAll(of(write.get()));
        } else {
          needs.add(new Need(AclResource.KEY, op.key(), AclAccess.READ, op.verb().onPrefix()));
        }
      }
      return needs;
    }
    // Consul's rule: a session is written with session:write on the node it is bound to.
    if (command instanceof ControlCommand.SessionCreate create) {
      return List.of(write(AclResource.SESSION, create.node()));
    }
    if (command instanceof ControlCommand.SessionRenew renew) {
      return List.of(write(AclResource.SESSION, renew.node()));
    }
    if (command instanceof ControlCommand.SessionDestroy destroy) {
      return List.of(write(AclResource.SESSION, destroy.node()));
    }
    if (command instanceof ControlCommand.AclTokenUpsert
        || command instanceof ControlCommand.AclTokenDelete) {
      return List.of(write(AclResource.ACL, ""));
    }
    if (command instanceof ControlCommand.AppendEvent) {
      return List.of(write(AclResource.OPERATOR, ""));
    }
    if (command instanceof ControlCommand.CatalogRegister register) {
      // Consul's rule, as PUT /v1/catalog/register applies it: the node, and the service it names.
      Need node = write(AclResource.NODE, register.node().name());
      return register
          .service()
          .map(service -> List.of(node, write(AclResource.SERVICE, service.service())))
          .orElse(List.of(node));
    }
    if (command instanceof ControlCommand.CatalogDeregister deregister) {
      return List.of(write(AclResource.NODE, deregister.node()));
    }
    return List.of();
  }

  private static Need write(AclResource resource, String name) {
    return new Need(resource, name, AclAccess.WRITE, false);
  }

  /**
   * Why {@code token} (null: none presented) may not have {@code command} committed, or empty when
   * it may (or when a token does not decide the command).
   */
  public static Optional<String> refusal(
      ControlCommand command, AclToken token, AclAuthorizer authorizer) {
    for (Need need : of(command)) {
      boolean allowed =
          need.under()
              ? authorizer.allowsUnder(token, need.resource(), need.name(), need.access())
              : authorizer.allows(token, need.resource(), need.name(), need.access());
      if (!allowed) {
        return Optional.of(refusal(command, token, need));
      }
    }
    return Optional.empty();
  }

  private static String refusal(ControlCommand command, AclToken token, Need n) {
    return (token == null ? "a request without a token" : "the request's token")
        + " may not "
        + n.access().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + n.resource().ruleName()
        + (n.name().isEmpty() ? "" : " '" + n.name() + "'" + (n.under() ? " and under it" : ""))
        + ", which "
        + command.getClass().getSimpleName()
        + " needs";
  }
}
