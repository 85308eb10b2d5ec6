package io.hivemind.core.acl;

import java.util.Objects;

/**
 * Decides whether a token may have some access to a named resource (Consul's rule semantics):
 *
 * <ul>
 *   <li>a management token may do everything;
 *   <li>of the token's rules for the resource whose prefix starts the name, the longest decides
 *       (equal prefixes: the most restrictive, so a deny is never overridden by accident); its
 *       access must cover the one needed ({@code write} implies {@code read}, {@code deny} covers
 *       nothing);
 *   <li>no rule matches, or no token was presented: the default policy decides.
 * </ul>
 *
 * <p>Immutable, so shared by every request; a decision scans the token's few rules (at most {@link
 * AclFieldRules#MAX_RULES}) and allocates nothing.
 */
public final class AclAuthorizer {

  private final AclPolicy defaultPolicy;

  public AclAuthorizer(AclPolicy defaultPolicy) {
    this.defaultPolicy = Objects.requireNonNull(defaultPolicy, "defaultPolicy");
  }

  /** The policy where no rule applies. */
  public AclPolicy defaultPolicy() {
    return defaultPolicy;
  }

  /**
   * Whether {@code token} (null: none presented, the anonymous caller) may have {@code needed}
   * access to {@code name} of {@code resource}.
   */
  public boolean allows(AclToken token, AclResource resource, String name, AclAccess needed) {
    if (token == null) {
      return defaultPolicy.access().covers(needed);
    }
    if (token.management()) {
      return true;
    }
    AclRule best = null;
    for (AclRule rule : token.rules()) {
      if (rule.matches(resource, name) && better(rule, best)) {
        best = rule;
      }
    }
    return (best == null ? defaultPolicy.access() : best.access()).covers(needed);
  }

  /**
   * Whether {@code token} may have {@code needed} access to every name of {@code resource} that
   * starts with {@code prefix} (a recursive KV read or delete): the prefix's own decision allows
   * it, and no longer rule under the prefix takes the access away (Consul's {@code
   * KeyWritePrefix}), so a recursive delete of {@code app/} cannot reach a denied {@code
   * app/secret}.
   */
  public boolean allowsUnder(
      AclToken token, AclResource resource, String prefix, AclAccess needed) {
    if (!allows(token, resource, prefix, needed)) {
      return false;
    }
    if (token == null || token.management()) {
      return true;
    }
    for (AclRule rule : token.rules()) {
      if (rule.resource() == resource
          && rule.prefix().length() > prefix.length()
          && rule.prefix().startsWith(prefix)
          && !rule.access().covers(needed)) {
        return false;
      }
    }
    return true;
  }

  private static boolean better(AclRule rule, AclRule best) {
    if (best == null || rule.prefix().length() > best.prefix().length()) {
      return true;
    }
    return rule.prefix().length() == best.prefix().length()
        && rule.access().compareTo(best.access()) < 0;
  }
}
