package io.hivemind.server.http;

import io.hivemind.core.acl.AclPolicy;
import java.util.Objects;

/**
 * The API's ACL settings (docs/acl.md). With ACLs disabled every request is allowed, as before
 * tokens existed, and the API should bind loopback only. {@link #toString} never shows the token.
 *
 * @param enabled whether requests are checked at all
 * @param defaultPolicy what a request no rule decides gets: {@code deny} unless an operator says
 *     otherwise
 * @param initialManagementToken the bootstrap secret every agent of the cluster knows from its
 *     configuration (Consul's {@code initial_management}): a management token that works before any
 *     token is committed; null when none is configured
 * @param agentToken the token this agent presents for the writes it makes of its own accord (the
 *     external services of its configuration; Consul's {@code acl.tokens.agent}); null when none
 */
public record AclConfig(
    boolean enabled, AclPolicy defaultPolicy, String initialManagementToken, String agentToken) {

  /** No ACLs: every request allowed (the API then binds loopback by default). */
  public static final AclConfig DISABLED = new AclConfig(false, AclPolicy.ALLOW, null, null);

  /** Without an agent token. */
  public AclConfig(boolean enabled, AclPolicy defaultPolicy, String initialManagementToken) {
    this(enabled, defaultPolicy, initialManagementToken, null);
  }

  /** Checks the fields; the message never carries the token. */
  public AclConfig {
    Objects.requireNonNull(defaultPolicy, "defaultPolicy");
    if (initialManagementToken != null && initialManagementToken.isBlank()) {
      throw new IllegalArgumentException("the initial management token must not be blank");
    }
    if (agentToken != null && agentToken.isBlank()) {
      throw new IllegalArgumentException("the agent token must not be blank");
    }
  }

  /**
   * The secret this agent presents for its own writes: its agent token, else the initial management
   * token (an operator's agent that has it), else "" for none.
   */
  public String ownWritesToken() {
    if (agentToken != null) {
      return agentToken;
    }
    return initialManagementToken != null ? initialManagementToken : "";
  }

  @Override
  public String toString() {
    return "AclConfig[enabled="
        + enabled
        + ", defaultPolicy="
        + defaultPolicy.configName()
        + ", initialManagementToken="
        + (initialManagementToken == null ? "none" : "redacted")
        + ", agentToken="
        + (agentToken == null ? "none" : "redacted")
        + "]";
  }
}
