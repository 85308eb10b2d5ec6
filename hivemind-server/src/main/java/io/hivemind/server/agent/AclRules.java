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
    if (layer.initialManagementToken() != null && layer.initialManagementTokenFile() != null) {
      throw new ConfigException(
          AclSettings.TOKEN_VARIABLE
              + " and "
              + names.apply(Setting.ACL_INITIAL_MANAGEMENT_TOKEN_FILE)
              + " are both set: set one of them");
    }
    if (layer.initialManagementToken() != null) {
      token(layer.initialManagementToken(), AclSettings.TOKEN_VARIABLE);
    }
    if (layer.initialManagementTokenFile() != null) {
      ControlRules.path(
          layer.initialManagementTokenFile(),
          Path.of(""),
          names.apply(Setting.ACL_INITIAL_MANAGEMENT_TOKEN_FILE));
    }
  }

  /** The API's ACL configuration; the token file is read now, so a bad one stops the agent. */
  static AclConfig acl(AclSettings settings, Path home) {
    boolean enabled = Boolean.TRUE.equals(settings.enabled());
    AclPolicy policy =
        settings.defaultPolicy() == null
            ? AclPolicy.DENY
            : policy(settings.defaultPolicy(), Setting.ACL_DEFAULT_POLICY.yamlKey());
    String token = token(settings, home);
    if (!enabled && token != null) {
      throw new ConfigException(
          "an initial management token is set but ACLs are disabled: set "
              + Setting.ACL_ENABLED.yamlKey()
              + ": true, or drop the token");
    }
    return enabled ? new AclConfig(true, policy, token) : AclConfig.DISABLED;
  }

  private static String token(AclSettings settings, Path home) {
    if (settings.initialManagementToken() != null) {
      return token(settings.initialManagementToken(), AclSettings.TOKEN_VARIABLE);
    }
    if (settings.initialManagementTokenFile() == null) {
      return null;
    }
    String name = Setting.ACL_INITIAL_MANAGEMENT_TOKEN_FILE.yamlKey();
    Path file = ControlRules.path(settings.initialManagementTokenFile(), home, name);
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
