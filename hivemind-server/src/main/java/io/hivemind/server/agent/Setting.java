package io.hivemind.server.agent;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every agent setting and its three spellings: the YAML key, the {@code HIVEMIND_*} environment
 * variable and the {@code hivemind agent} flag. Error sentences name a setting the way its author
 * wrote it, so each layer of {@link AgentSettings} is checked with its own spelling (see {@link
 * AgentSettings#checked}); README's configuration table lists the same rows.
 */
public enum Setting {
  NODE_NAME("node_name", "HIVEMIND_NODE_NAME", "--node"),
  ENVIRONMENT("environment", "HIVEMIND_ENV", "--env"),
  INSTANCE("instance", "HIVEMIND_INSTANCE", "--instance"),
  CLUSTER("cluster", "HIVEMIND_CLUSTER", "--cluster"),
  BIND("bind", "HIVEMIND_BIND", "--bind"),
  ADVERTISE("advertise", "HIVEMIND_ADVERTISE", "--advertise"),
  HTTP_BIND("http_bind", "HIVEMIND_HTTP_BIND", "--http-bind"),
  SEEDS("seeds", "HIVEMIND_SEEDS", "--seed"),
  ROLES("roles", "HIVEMIND_ROLES", "--role"),
  TAGS("tags", "HIVEMIND_TAGS", "--tag"),
  ZONE("zone", "HIVEMIND_ZONE", "--zone"),
  PROFILE("profile", "HIVEMIND_PROFILE", "--profile"),
  ENCRYPT_KEYS("encrypt_keys", "HIVEMIND_ENCRYPT_KEYS", "--encrypt-key"),
  INSECURE_PLAINTEXT_GOSSIP(
      "insecure_plaintext_gossip",
      "HIVEMIND_INSECURE_PLAINTEXT_GOSSIP",
      "--insecure-plaintext-gossip"),
  LOG_FORMAT("log_format", "HIVEMIND_LOG_FORMAT", "--log-format"),
  DATA_DIR("data_dir", "HIVEMIND_DATA_DIR", "--data-dir"),
  BOOTSTRAP_EXPECT("bootstrap_expect", "HIVEMIND_BOOTSTRAP_EXPECT", "--bootstrap-expect"),
  JOIN_TOKEN("join_token", "HIVEMIND_JOIN_TOKEN", "--join-token"),
  JOIN_TOKEN_FILE("join_token_file", "HIVEMIND_JOIN_TOKEN_FILE", "--join-token-file"),
  REQUIRE_ROLES("require_roles", "HIVEMIND_REQUIRE_ROLES", "--require-role"),
  TLS_CA_FILE("tls_ca_file", "HIVEMIND_TLS_CA_FILE", "--tls-ca-file"),
  TLS_CERT_FILE("tls_cert_file", "HIVEMIND_TLS_CERT_FILE", "--tls-cert-file"),
  TLS_KEY_FILE("tls_key_file", "HIVEMIND_TLS_KEY_FILE", "--tls-key-file"),
  CONTROL_BIND("control_bind", "HIVEMIND_CONTROL_BIND", "--control-bind"),
  CONTROL_GATEWAY_BIND(
      "control_gateway_bind", "HIVEMIND_CONTROL_GATEWAY_BIND", "--control-gateway-bind"),
  ACL_ENABLED("acl_enabled", "HIVEMIND_ACL_ENABLED", "--acl-enabled"),
  ACL_DEFAULT_POLICY("acl_default_policy", "HIVEMIND_ACL_DEFAULT_POLICY", "--acl-default-policy"),
  ACL_INITIAL_MANAGEMENT_TOKEN_FILE(
      "acl_initial_management_token_file",
      "HIVEMIND_ACL_INITIAL_MANAGEMENT_TOKEN_FILE",
      "--acl-initial-management-token-file"),
  ACL_AGENT_TOKEN_FILE(
      "acl_agent_token_file", "HIVEMIND_ACL_AGENT_TOKEN_FILE", "--acl-agent-token-file"),
  DNS_PORT("dns_port", "HIVEMIND_DNS_PORT", "--dns-port"),
  DNS_DOMAIN("dns_domain", "HIVEMIND_DNS_DOMAIN", "--dns-domain"),
  DNS_TTL("dns_ttl", "HIVEMIND_DNS_TTL", "--dns-ttl"),
  DNS_RECURSORS("dns_recursors", "HIVEMIND_DNS_RECURSORS", "--dns-recursor"),
  PARTITION_BACKUPS("partition_backups", "HIVEMIND_PARTITION_BACKUPS", "--partition-backups"),
  STATE_SYNC_BACKUPS("state_sync_backups", "HIVEMIND_STATE_SYNC_BACKUPS", "--state-sync-backups");

  private final String yamlKey;
  private final String variable;
  private final String flag;

  Setting(String yamlKey, String variable, String flag) {
    this.yamlKey = yamlKey;
    this.variable = variable;
    this.flag = flag;
  }

  /** The key in the YAML file, {@code node_name}; also the setting's name in the docs. */
  public String yamlKey() {
    return yamlKey;
  }

  /** The environment variable, {@code HIVEMIND_NODE_NAME}. */
  public String variable() {
    return variable;
  }

  /** The command-line flag, {@code --node}. */
  public String flag() {
    return flag;
  }

  /** All three spellings, for a sentence that cannot know which one the user wrote. */
  public String everySpelling() {
    return yamlKey + ", " + variable + " or " + flag;
  }

  /** The setting whose YAML key is {@code key}. */
  static Optional<Setting> ofYamlKey(String key) {
    return Arrays.stream(values()).filter(s -> s.yamlKey.equals(key)).findFirst();
  }
}
