package io.hivemind.api;

import java.util.List;

/**
 * An ACL token as the {@code /v1/acl/token} endpoints answer it, in Consul's shape where Consul has
 * one ({@code AccessorID}, {@code SecretID}, {@code Description}, {@code CreateIndex}, {@code
 * ModifyIndex}) and Hivemind's own {@code Management} flag and {@code Rules} in place of Consul's
 * policies (docs/acl.md).
 *
 * @param accessorId the token's public id: what lists show and deletes name
 * @param secretId the secret a client presents; only in the answer that created the token (the
 *     control plane keeps its SHA-256 alone), null everywhere else
 * @param description free text
 * @param management whether the token may do everything
 * @param rules what else it may do
 * @param local always false: every token is the whole cluster's
 * @param createIndex the control-plane log index that created it
 * @param modifyIndex the log index that last changed it
 */
public record AclTokenInfo(
    String accessorId,
    String secretId,
    String description,
    boolean management,
    List<AclRuleSpec> rules,
    boolean local,
    long createIndex,
    long modifyIndex) {
  public AclTokenInfo {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }
}
