package io.hivemind.core.acl;

import java.util.Locale;
import java.util.Optional;

/**
 * The access a rule grants, in rising order: {@link #WRITE} implies {@link #READ}; {@link #DENY}
 * grants nothing and, being a rule, still wins over a shorter prefix's grant (Consul's semantics).
 */
public enum AclAccess {
  DENY,
  READ,
  WRITE;

  /** Whether this grant covers {@code needed}: write covers read; deny covers nothing. */
  public boolean covers(AclAccess needed) {
    return this != DENY && compareTo(needed) >= 0;
  }

  /** The name rules and the wire use. */
  public String ruleName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The access a rule names, if any. */
  public static Optional<AclAccess> ofRuleName(String name) {
    for (AclAccess access : values()) {
      if (access.ruleName().equals(name)) {
        return Optional.of(access);
      }
    }
    return Optional.empty();
  }
}
