package io.hivemind.server.agent;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link AgentSettings} layers from a YAML file and from {@code HIVEMIND_*} environment
 * variables, each checked on its own so that a sentence names the setting as that layer spells it.
 * Flags are the third layer; the command line builds (and checks) that one itself.
 */
public final class AgentSettingsSources {

  /** Environment variable prefix: {@code HIVEMIND_NODE_NAME} sets {@code node_name}. */
  public static final String ENV_PREFIX = "HIVEMIND_";

  private AgentSettingsSources() {}

  /**
   * The settings in a YAML file. An empty file (or one of comments only) sets nothing: every
   * setting keeps its default, as a template with every line commented out should. A list or map
   * setting also takes one comma-separated value, as its environment variable does.
   *
   * @throws ConfigException naming the file and the problem (missing, unreadable, not YAML, not a
   *     map of settings, unknown key, a bad value)
   */
  public static AgentSettings fromYaml(Path file) {
    return YamlSettings.read(file);
  }

  /**
   * The settings in {@code HIVEMIND_*} variables. Lists are comma-separated; tags are {@code
   * key=value} pairs, comma-separated.
   *
   * @throws ConfigException naming the variable with a bad value
   */
  public static AgentSettings fromEnvironment(Map<String, String> env) {
    return new AgentSettings(
            env.get(Setting.NODE_NAME.variable()),
            env.get(Setting.ENVIRONMENT.variable()),
            integer(env, Setting.INSTANCE),
            env.get(Setting.CLUSTER.variable()),
            env.get(Setting.BIND.variable()),
            env.get(Setting.ADVERTISE.variable()),
            env.get(Setting.HTTP_BIND.variable()),
            list(env.get(Setting.SEEDS.variable())),
            list(env.get(Setting.ROLES.variable())),
            tags(Setting.TAGS.variable(), env.get(Setting.TAGS.variable())),
            env.get(Setting.ZONE.variable()),
            env.get(Setting.PROFILE.variable()),
            list(env.get(Setting.ENCRYPT_KEYS.variable())),
            bool(env, Setting.INSECURE_PLAINTEXT_GOSSIP),
            env.get(Setting.LOG_FORMAT.variable()),
            control(env),
            acl(env),
            dns(env),
            new StateSettings(
                env.get(Setting.PARTITION_BACKUPS.variable()),
                env.get(Setting.STATE_SYNC_BACKUPS.variable())))
        .checked(Setting::variable);
  }

  private static DnsSettings dns(Map<String, String> env) {
    return new DnsSettings(
        env.get(Setting.DNS_PORT.variable()),
        env.get(Setting.DNS_DOMAIN.variable()),
        env.get(Setting.DNS_TTL.variable()),
        list(env.get(Setting.DNS_RECURSORS.variable())));
  }

  private static AclSettings acl(Map<String, String> env) {
    return new AclSettings(
        bool(env, Setting.ACL_ENABLED),
        env.get(Setting.ACL_DEFAULT_POLICY.variable()),
        env.get(AclSettings.TOKEN_VARIABLE),
        env.get(Setting.ACL_INITIAL_MANAGEMENT_TOKEN_FILE.variable()),
        env.get(AclSettings.AGENT_TOKEN_VARIABLE),
        env.get(Setting.ACL_AGENT_TOKEN_FILE.variable()));
  }

  private static ControlSettings control(Map<String, String> env) {
    String expect = env.get(Setting.BOOTSTRAP_EXPECT.variable());
    return new ControlSettings(
        env.get(Setting.DATA_DIR.variable()),
        expect == null
            ? null
            : ControlRules.bootstrapExpect(expect, Setting.BOOTSTRAP_EXPECT.variable()),
        env.get(Setting.JOIN_TOKEN.variable()),
        env.get(Setting.JOIN_TOKEN_FILE.variable()),
        list(env.get(Setting.REQUIRE_ROLES.variable())),
        env.get(Setting.TLS_CA_FILE.variable()),
        env.get(Setting.TLS_CERT_FILE.variable()),
        env.get(Setting.TLS_KEY_FILE.variable()),
        env.get(Setting.CONTROL_BIND.variable()),
        env.get(Setting.CONTROL_GATEWAY_BIND.variable()));
  }

  private static Integer integer(Map<String, String> env, Setting setting) {
    String value = env.get(setting.variable());
    return value == null ? null : SettingRules.instance(value, setting.variable());
  }

  private static Boolean bool(Map<String, String> env, Setting setting) {
    String value = env.get(setting.variable());
    return value == null ? null : SettingRules.bool(value, setting.variable());
  }

  /** A comma-separated list; blanks are skipped. */
  static List<String> list(String value) {
    if (value == null) {
      return null;
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * {@code key=value} pairs, comma-separated.
   *
   * @param name the setting, as the user wrote it, to name it in the sentence
   */
  static Map<String, String> tags(String name, String value) {
    if (value == null) {
      return null;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (String pair : list(value)) {
      int equals = pair.indexOf('=');
      if (equals < 0) {
        throw new ConfigException(
            name
                + " "
                + SettingRules.quote(pair)
                + " is not a tag: use key=value, several separated by commas");
      }
      tags.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
    }
    return tags;
  }
}
