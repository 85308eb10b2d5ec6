package io.hivemind.server.agent;

/**
 * One layer of the ACL settings (docs/acl.md): a null component means "not set in this layer", as
 * in {@link AgentSettings}. The initial management token is the cluster's bootstrap secret: every
 * agent knows it from its configuration, so it works before any token is committed. It is read from
 * a file ({@code acl_initial_management_token_file}, any layer) or from the environment variable
 * {@value #TOKEN_VARIABLE}; never from YAML or a flag, where it would sit in a file under version
 * control or in {@code ps}. A layer that sets either replaces both of a lower layer's. {@link
 * #toString} never shows the token.
 *
 * @param enabled whether the HTTP API checks tokens
 * @param defaultPolicy {@code allow} or {@code deny}: what a request no rule decides gets
 * @param initialManagementToken the secret itself (environment layer only)
 * @param initialManagementTokenFile a file holding it
 */
public record AclSettings(
    Boolean enabled,
    String defaultPolicy,
    String initialManagementToken,
    String initialManagementTokenFile) {

  /** The environment variable that may carry the initial management token itself. */
  public static final String TOKEN_VARIABLE = "HIVEMIND_ACL_INITIAL_MANAGEMENT_TOKEN";

  /** A layer that sets none of them. */
  public static final AclSettings NONE = new AclSettings(null, null, null, null);

  /** These settings with every component {@code higher} sets taking its place. */
  AclSettings overlay(AclSettings higher) {
    boolean higherToken =
        higher.initialManagementToken != null || higher.initialManagementTokenFile != null;
    return new AclSettings(
        higher.enabled != null ? higher.enabled : enabled,
        higher.defaultPolicy != null ? higher.defaultPolicy : defaultPolicy,
        higherToken ? higher.initialManagementToken : initialManagementToken,
        higherToken ? higher.initialManagementTokenFile : initialManagementTokenFile);
  }

  @Override
  public String toString() {
    return "AclSettings[enabled="
        + enabled
        + ", defaultPolicy="
        + defaultPolicy
        + ", initialManagementToken="
        + (initialManagementToken == null ? "null" : "redacted")
        + ", initialManagementTokenFile="
        + initialManagementTokenFile
        + "]";
  }
}
