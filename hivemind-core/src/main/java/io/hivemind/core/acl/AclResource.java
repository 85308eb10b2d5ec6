package io.hivemind.core.acl;

import java.util.Locale;
import java.util.Optional;

/**
 * What an ACL rule governs: Consul's resource kinds that Hivemind serves. Each is named in rules
 * and on the wire by its lower-case {@link #ruleName()} ({@code service}, {@code key}, ...).
 */
public enum AclResource {
  /** Catalogue services, by service name. */
  SERVICE,
  /** KV entries, by key. */
  KEY,
  /** Members (nodes), by node name. */
  NODE,
  /** Sessions (locks on KV keys), by the name of the node they are bound to. */
  SESSION,
  /** An agent's own endpoints (join, leave, self, metrics), by the agent's node name. */
  AGENT,
  /** The control plane's operator endpoints (Raft configuration, peers, status, events). */
  OPERATOR,
  /** The ACL endpoints themselves: tokens. */
  ACL;

  /** The name rules and the wire use. */
  public String ruleName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The resource a rule names, if any. */
  public static Optional<AclResource> ofRuleName(String name) {
    for (AclResource resource : values()) {
      if (resource.ruleName().equals(name)) {
        return Optional.of(resource);
      }
    }
    return Optional.empty();
  }
}
