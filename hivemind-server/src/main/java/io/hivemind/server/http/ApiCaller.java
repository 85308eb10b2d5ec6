package io.hivemind.server.http;

import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclAuthorizer;
import io.hivemind.core.acl.AclPolicy;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclToken;
import io.hivemind.core.catalog.CatalogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Who sent one request, as far as ACLs go: the token its secret resolved to (null when it presented
 * none) and the authorizer that decides for it. Endpoints whose resource name is in the body (a
 * registration) ask {@link #require} themselves; the rest are checked by {@link RouteAccess} before
 * they run. Immutable.
 */
final class ApiCaller {

  /** ACLs disabled: everything allowed. */
  static final ApiCaller UNRESTRICTED =
      new ApiCaller(new AclAuthorizer(AclPolicy.ALLOW), null, false);

  /** The stable error code of a refusal (docs/acl.md). */
  static final String DENIED = "acl_denied";

  private final AclAuthorizer authorizer;
  private final AclToken token;
  private final boolean enforced;

  ApiCaller(AclAuthorizer authorizer, AclToken token, boolean enforced) {
    this.authorizer = authorizer;
    this.token = token;
    this.enforced = enforced;
  }

  /** The token presented, or null for none (or with ACLs disabled). */
  AclToken token() {
    return token;
  }

  /** Whether ACLs are enforced for this request. */
  boolean enforced() {
    return enforced;
  }

  /** Whether this caller may have {@code access} to {@code name} of {@code resource}. */
  boolean may(AclResource resource, String name, AclAccess access) {
    return !enforced || authorizer.allows(token, resource, name, access);
  }

  /**
   * The catalogue entries whose service this caller may read: what a list shows a token (as
   * Consul's lists filter); all of them when ACLs are not enforced.
   */
  List<CatalogEntry> readable(List<CatalogEntry> entries) {
    if (!enforced) {
      return entries;
    }
    List<CatalogEntry> readable = new ArrayList<>(entries.size());
    for (CatalogEntry entry : entries) {
      if (may(AclResource.SERVICE, entry.instance().service(), AclAccess.READ)) {
        readable.add(entry);
      }
    }
    return readable;
  }

  /**
   * Returns when allowed, else refuses: 403 {@code acl_denied} naming the permission missing (never
   * the token).
   */
  void require(AclResource resource, String name, AclAccess access) {
    if (!may(resource, name, access)) {
      throw missing(resource, "\"" + name + "\"", access);
    }
  }

  /**
   * As {@link #require}, for every name under {@code prefix} ({@link AclAuthorizer#allowsUnder}).
   */
  void requireUnder(AclResource resource, String prefix, AclAccess access) {
    if (enforced && !authorizer.allowsUnder(token, resource, prefix, access)) {
      throw missing(resource, "\"" + prefix + "\" and everything under it", access);
    }
  }

  private ApiException missing(AclResource resource, String names, AclAccess access) {
    return denied(
        "this request needs "
            + resource.ruleName()
            + " "
            + names
            + " "
            + access.ruleName()
            + (token == null
                ? ", and it presented no token (the default policy is "
                    + authorizer.defaultPolicy().configName()
                    + ")"
                : ", which its token does not grant"));
  }

  /** Returns when a management token was presented, else refuses. */
  void requireManagement(String why) {
    if (enforced && (token == null || !token.management())) {
      throw denied(why + " needs a management token");
    }
  }

  static ApiException denied(String sentence) {
    return new ApiException(403, DENIED, sentence);
  }
}
