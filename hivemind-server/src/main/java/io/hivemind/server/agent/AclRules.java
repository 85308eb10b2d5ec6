package io.hivemind.server.agent;

import io.hivemind.core.acl.AclPolicy;
import io.hivemind.server.http.AclConfig;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The rules of the ACL settings: each layer's values on their own ({@link #check}), then the
 * resolved {@link AclConfig} ({@link #acl}). Sentences name the setting, never the token's value.
 *
 * <p>Stateless.
 */
final class AclRules {

  /**
   * Shortest initial management token accepted: a guessable bootstrap secret opens the whole
   * cluster. A UUID (36 characters) or {@code openssl rand -hex 16} passes.
   */
  static final int MIN_TOKEN_CHARS = 16;

  /** Longest accepted: a header line's worth, far above any generated secret. */
  static final int MAX_TOKEN_CHARS = 512;

  private AclRules() {}

  /** Checks every setting {@code layer} sets, naming each with {@code names}. */
  static void check(AclSettings layer, Function<Setting, String> names) {
    if (layer.defaultPolicy() != null) {
      policy(layer.defaultPolicy(), names.apply(Setting.ACL_DEFAULT_POLICY));
    }
    checkToken(
        layer.initialManagementToken(),
        AclSettings.TOKEN_VARIABLE,
        layer.initialManagementTokenFile(),
        names.apply(Setting.ACL_INITIAL_MANAGEMENT_TOKEN_FILE));
    checkToken(
        layer.agentToken(),
        AclSettings.AGENT_TOKEN_VARIABLE,
        layer.agentTokenFile(),
        names.apply(Setting.ACL_AGENT_TOKEN_FILE));
  }

  /** One token's two spellings: at most one of them, each well-formed. */
  private static void checkToken(String token, String variable, String file, String fileName) {
    if (token != null && file != null) {
      throw new ConfigException(variable + " and " + fileName + " are both set: set one of them");
    }
    if (token != null) {
      token(token, variable);
    }
    if (file != null) {
      ControlRules.path(file, Path.of(""), fileName);
    }
  }

  /** The API's ACL configuration; the token file is read now, so a bad one stops the agent. */
  static AclConfig acl(AclSettings settings, Path home) {
    boolean enabled = Boolean.TRUE.equals(settings.enabled());
    AclPolicy policy =
        settings.defaultPolicy() == null
            ? AclPolicy.DENY
            : policy(settings.defaultPolicy(), Setting.ACL_DEFAULT_POLICY.yamlKey());
    String token =
        token(
            settings.initialManagementToken(),
            AclSettings.TOKEN_VARIABLE,
            settings.initialManagementTokenFile(),
            Setting.ACL_INITIAL_MANAGEMENT_TOKEN_FILE,
            home);
    String agentToken =
        token(
            settings.agentToken(),
            AclSettings.AGENT_TOKEN_VARIABLE,
            settings.agentTokenFile(),
            Setting.ACL_AGENT_TOKEN_FILE,
            home);
    if (!enabled && (token != null || agentToken != null)) {
      throw new ConfigException(
          (token != null ? "an initial management token" : "an agent token")
              + " is set but ACLs are disabled: set "
              + Setting.ACL_ENABLED.yamlKey()
              + ": true, or drop the token");
    }
    return enabled ? new AclConfig(true, policy, token, agentToken) : AclConfig.DISABLED;
  }

  /** A token from its environment variable, else from its file setting, else null. */
  private static String token(
      String fromVariable, String variable, String fileSetting, Setting fileKey, Path home) {
    if (fromVariable != null) {
      return token(fromVariable, variable);
    }
    if (fileSetting == null) {
      return null;
    }
    String name = fileKey.yamlKey();
    Path file = ControlRules.path(fileSetting, home, name);
    return token(ControlRules.readSmallFile(file, name).strip(), name + " " + file);
  }

  private static String token(String token, String name) {
    String value = token.strip();
    boolean printable = value.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    if (value.length() < MIN_TOKEN_CHARS || value.length() > MAX_TOKEN_CHARS || !printable) {
      throw new ConfigException(
          name
              + " does not hold a usable token: use "
              + MIN_TOKEN_CHARS
              + " to "
              + MAX_TOKEN_CHARS
              + " printable ASCII characters without spaces, such as a UUID (uuidgen)");
    }
    return value;
  }

  private static AclPolicy policy(String text, String name) {
    return AclPolicy.ofConfigName(text.trim().toLowerCase(java.util.Locale.ROOT))
        .orElseThrow(
            () ->
                new ConfigException(
                    name + " " + SettingRules.quote(text) + " is not a policy: use allow or deny"));
  }
}
