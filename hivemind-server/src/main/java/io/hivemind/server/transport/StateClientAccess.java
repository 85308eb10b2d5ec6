package io.hivemind.server.transport;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclToken;
import io.hivemind.core.state.StateOp;
import io.hivemind.server.acl.AclTokenResolver;

/**
 * What one state client connection may do: the token its hello presented, resolved again for each
 * request (so a deleted token stops working on open connections too) and checked as the HTTP API
 * checks {@code /v1/state/{map}/{key}}: {@code key "state/<map>/<key>"}, read for a get, write for
 * the rest (docs/acl.md).
 *
 * <p>Owning thread: the connection's event loop (its resolver's cache is not thread-safe).
 */
final class StateClientAccess {

  private final AclTokenResolver resolver;
  private final String secret;

  /**
   * @param resolver this connection's own, or a disabled one shared by all
   * @param secret the hello's token, "" for none
   */
  StateClientAccess(AclTokenResolver resolver, String secret) {
    this.resolver = resolver;
    this.secret = secret.strip();
  }

  /** False for a token no one has while ACLs are on: the hello is refused, as the API's 403. */
  boolean known() {
    return !resolver.enabled() || secret.isEmpty() || resolver.resolve(secret) != null;
  }

  /**
   * Why this connection may not run {@code op}, or null when it may (always, with ACLs off). Names
   * the permission missing, never the token.
   */
  String denial(StateOp op) {
    if (!resolver.enabled()) {
      return null;
    }
    AclToken token = null;
    if (!secret.isEmpty()) {
      token = resolver.resolve(secret);
      if (token == null) {
        return "the connection's token is no longer known to this cluster (ACL not found)";
      }
    }
    String name = "state/" + op.map() + "/" + op.key();
    AclAccess needed = op.writes() ? AclAccess.WRITE : AclAccess.READ;
    if (resolver.authorizer().allows(token, AclResource.KEY, name, needed)) {
      return null;
    }
    return "this request needs "
        + AclResource.KEY.ruleName()
        + " \""
        + name
        + "\" "
        + needed.ruleName()
        + (token == null
            ? ", and the connection presented no token (the default policy is "
                + resolver.authorizer().defaultPolicy().configName()
                + ")"
            : ", which its token does not grant");
  }
}
