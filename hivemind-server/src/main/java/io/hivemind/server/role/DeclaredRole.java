package io.hivemind.server.role;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A built-in role that, for now, is performed by being declared: the node announces it in its
 * gossip metadata, so others see it (and {@code require_roles} can wait for it), and starting it
 * does nothing else. The catalogue issue gives {@code catalog} its work, the DNS issue {@code dns},
 * and seed 001's configuration updates {@code host}; each replaces its provider's {@code create}.
 */
final class DeclaredRole implements Role {

  private static final Logger log = LoggerFactory.getLogger(DeclaredRole.class);

  private final String name;

  DeclaredRole(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start(RoleContext context) {
    log.debug("role {} declared on {}; it has no work of its own yet", name, context.nodeName());
  }

  @Override
  public void stop() {
    // Nothing was started.
  }

  @Override
  public String toString() {
    return "role " + name;
  }
}
