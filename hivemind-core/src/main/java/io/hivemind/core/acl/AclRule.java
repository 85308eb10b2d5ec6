package io.hivemind.core.acl;

import java.util.Objects;

/**
 * One rule of a token: {@code access} to every {@code resource} whose name starts with {@code
 * prefix} ({@code ""} covers every name). Of a token's rules for one resource, the longest matching
 * prefix decides (Consul's prefix rules).
 */
public record AclRule(AclResource resource, String prefix, AclAccess access) {
  public AclRule {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(access, "access");
  }

  /** Whether this rule speaks about {@code name} of {@code kind}. */
  boolean matches(AclResource kind, String name) {
    return resource == kind && name.startsWith(prefix);
  }

  /** {@code service "web" write}: how documentation and messages write a rule. */
  @Override
  public String toString() {
    return resource.ruleName() + " \"" + prefix + "\" " + access.ruleName();
  }
}
