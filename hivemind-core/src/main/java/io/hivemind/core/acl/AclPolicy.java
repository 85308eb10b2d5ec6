package io.hivemind.core.acl;

import java.util.Locale;
import java.util.Optional;

/**
 * What happens to a request no rule decides (an anonymous request, or a name none of a token's
 * rules covers): Consul's {@code default_policy}. With ACLs enabled the default is {@link #DENY}.
 */
public enum AclPolicy {
  ALLOW(AclAccess.WRITE),
  DENY(AclAccess.DENY);

  private final AclAccess access;

  AclPolicy(AclAccess access) {
    this.access = access;
  }

  /** The access this policy grants where no rule applies. */
  public AclAccess access() {
    return access;
  }

  /** The name configuration uses: {@code allow} or {@code deny}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The policy {@code name} spells, if any. */
  public static Optional<AclPolicy> ofConfigName(String name) {
    for (AclPolicy policy : values()) {
      if (policy.configName().equals(name)) {
        return Optional.of(policy);
      }
    }
    return Optional.empty();
  }
}
