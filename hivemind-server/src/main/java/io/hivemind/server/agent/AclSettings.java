package io.hivemind.server.agent;

/**
 * One layer of the ACL settings (docs/acl.md): a null component means "not set in this layer", as
 * in {@link AgentSettings}. The initial management token is the cluster's bootstrap secret: every
 * agent knows it from its configuration, so it works before any token is committed. It is read from
 * a file ({@code acl_initial_management_token_file}, any layer) or from the environment variable
 * {@value #TOKEN_VARIABLE}; never from YAML or a flag, where it would sit in a file under version
 * control or in {@code ps}. A layer that sets either replaces both of a lower layer's. The agent
 * token (Consul's {@code acl.tokens.agent}) is what the agent presents for the writes it makes of
 * its own accord, the external services of its configuration: read the same two ways ({@code
 * acl_agent_token_file}, {@value #AGENT_TOKEN_VARIABLE}). {@link #toString} never shows a token.
 *
 * @param enabled whether the HTTP API checks tokens
 * @param defaultPolicy {@code allow} or {@code deny}: what a request no rule decides gets
 * @param initialManagementToken the secret itself (environment layer only)
 * @param initialManagementTokenFile a file holding it
 * @param agentToken the agent token itself (environment layer only)
 * @param agentTokenFile a file holding it
 */
public record AclSettings(
    Boolean enabled,
    String defaultPolicy,
    String initialManagementToken,
    String initialManagementTokenFile,
    String agentToken,
    String agentTokenFile) {

  /** The environment variable that may carry the initial management token itself. */
  public static final String TOKEN_VARIABLE = "HIVEMIND_ACL_INITIAL_MANAGEMENT_TOKEN";

  /** The environment variable that may carry the agent token itself. */
  public static final String AGENT_TOKEN_VARIABLE = "HIVEMIND_ACL_AGENT_TOKEN";

  /** A layer that sets none of them. */
  public static final AclSettings NONE = new AclSettings(null, null, null, null);

  /** A layer that sets no agent token. */
  public AclSettings(
      Boolean enabled,
      String defaultPolicy,
      String initialManagementToken,
      String initialManagementTokenFile) {
    this(enabled, defaultPolicy, initialManagementToken, initialManagementTokenFile, null, null);
  }

  /** These settings with every component {@code higher} sets taking its place. */
  AclSettings overlay(AclSettings higher) {
    boolean higherToken =
        higher.initialManagementToken != null || higher.initialManagementTokenFile != null;
    boolean higherAgentToken = higher.agentToken != null || higher.agentTokenFile != null;
    return new AclSettings(
        higher.enabled != null ? higher.enabled : enabled,
        higher.defaultPolicy != null ? higher.defaultPolicy : defaultPolicy,
        higherToken ? higher.initialManagementToken : initialManagementToken,
        higherToken ? higher.initialManagementTokenFile : initialManagementTokenFile,
        higherAgentToken ? higher.agentToken : agentToken,
        higherAgentToken ? higher.agentTokenFile : agentTokenFile);
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
        + ", agentToken="
        + (agentToken == null ? "null" : "redacted")
        + ", agentTokenFile="
        + agentTokenFile
        + "]";
  }
}
