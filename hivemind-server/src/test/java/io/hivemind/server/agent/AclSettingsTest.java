package io.hivemind.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.acl.AclPolicy;
import io.hivemind.server.http.AclConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ACL settings in their three layers, their rules, and the HTTP bind warning they lift. */
class AclSettingsTest {

  private static final String TOKEN = "0123456789abcdef-root";

  @TempDir Path dir;

  private AgentConfig resolve(AgentSettings settings) {
    return AgentConfig.resolve(settings, "host-a", dir);
  }

  @Test
  void default_aclsDisabled() {
    assertThat(resolve(AgentSettings.NONE).acl()).isEqualTo(AclConfig.DISABLED);
  }

  @Test
  void yamlWithTokenFile_enabledDenyByDefault_tokenReadFromTheFile() throws IOException {
    Path token = dir.resolve("root.token");
    Files.writeString(token, TOKEN + "\n");
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file, "acl_enabled: true\nacl_initial_management_token_file: " + token + "\n");

    AclConfig acl = resolve(AgentSettingsSources.fromYaml(file)).acl();

    assertThat(acl).isEqualTo(new AclConfig(true, AclPolicy.DENY, TOKEN));
    assertThat(acl.toString()).doesNotContain(TOKEN);
  }

  @Test
  void environment_tokenAndPolicy() {
    AgentSettings env =
        AgentSettingsSources.fromEnvironment(
            Map.of(
                "HIVEMIND_ACL_ENABLED",
                "true",
                "HIVEMIND_ACL_DEFAULT_POLICY",
                "allow",
                AclSettings.TOKEN_VARIABLE,
                TOKEN));

    AgentConfig config = resolve(env);

    assertThat(config.acl()).isEqualTo(new AclConfig(true, AclPolicy.ALLOW, TOKEN));
    assertThat(config.warnings()).anyMatch(w -> w.contains("acl_default_policy is allow"));
    assertThat(env.toString()).doesNotContain(TOKEN);
  }

  @Test
  void agentToken_fromTheEnvironmentOrAFile_presentedForTheAgentsOwnWrites() throws IOException {
    String agent = "agent-0123456789abcdef";
    AgentConfig fromVariable =
        resolve(
            AgentSettingsSources.fromEnvironment(
                Map.of("HIVEMIND_ACL_ENABLED", "true", AclSettings.AGENT_TOKEN_VARIABLE, agent)));
    Path file = dir.resolve("agent.token");
    Files.writeString(file, agent + "\n");
    AgentConfig fromFile =
        resolve(
            AgentSettingsSources.fromEnvironment(
                Map.of(
                    "HIVEMIND_ACL_ENABLED",
                    "true",
                    "HIVEMIND_ACL_AGENT_TOKEN_FILE",
                    file.toString(),
                    AclSettings.TOKEN_VARIABLE,
                    TOKEN)));

    assertThat(fromVariable.acl()).isEqualTo(new AclConfig(true, AclPolicy.DENY, null, agent));
    assertThat(fromVariable.acl().ownWritesToken()).isEqualTo(agent);
    // The agent token wins over the initial management token for the agent's own writes.
    assertThat(fromFile.acl().ownWritesToken()).isEqualTo(agent);
    assertThat(fromFile.acl().toString()).doesNotContain(agent).doesNotContain(TOKEN);
    assertThat(new AclConfig(true, AclPolicy.DENY, TOKEN).ownWritesToken()).isEqualTo(TOKEN);
    assertThat(AclConfig.DISABLED.ownWritesToken()).isEmpty();
  }

  @Test
  void agentToken_bothSpellings_orWithAclsDisabled_refused() {
    assertThatThrownBy(
            () ->
                AgentSettingsSources.fromEnvironment(
                    Map.of(
                        AclSettings.AGENT_TOKEN_VARIABLE,
                        "agent-0123456789abcdef",
                        "HIVEMIND_ACL_AGENT_TOKEN_FILE",
                        "/etc/hivemind/agent.token")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("are both set");
    AgentSettings disabled =
        AgentSettings.NONE.withAcl(
            new AclSettings(null, null, null, null, "agent-0123456789abcdef", null));
    assertThatThrownBy(() -> resolve(disabled))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("an agent token is set but ACLs are disabled");
  }

  @Test
  void badPolicy_refusedNamingTheSetting() {
    assertThatThrownBy(
            () -> AgentSettingsSources.fromEnvironment(Map.of("HIVEMIND_ACL_DEFAULT_POLICY", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HIVEMIND_ACL_DEFAULT_POLICY")
        .hasMessageContaining("allow or deny");
  }

  @Test
  void shortToken_refusedWithoutShowingIt() {
    assertThatThrownBy(
            () ->
                AgentSettingsSources.fromEnvironment(
                    Map.of(AclSettings.TOKEN_VARIABLE, "short-secret")))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("short-secret");
  }

  @Test
  void tokenWithAclsDisabled_refused() {
    AgentSettings settings = AgentSettings.NONE.withAcl(new AclSettings(null, null, TOKEN, null));

    assertThatThrownBy(() -> resolve(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("acl_enabled");
  }

  @Test
  void httpBeyondLoopback_warnsOnlyWithoutAcls() {
    AgentSettings wide =
        AgentSettingsSources.fromEnvironment(Map.of("HIVEMIND_HTTP_BIND", "0.0.0.0"));
    AgentSettings wideWithAcls = wide.withAcl(new AclSettings(true, null, TOKEN, null));

    assertThat(resolve(wide).warnings()).anyMatch(w -> w.contains("INSECURE: the HTTP API"));
    assertThat(resolve(wideWithAcls).warnings()).noneMatch(w -> w.contains("HTTP API"));
  }

  @Test
  void higherLayer_replacesBothSpellingsOfTheToken() {
    AclSettings lower = new AclSettings(true, "deny", TOKEN, null);
    AclSettings higher = new AclSettings(null, null, null, "/etc/hivemind/root.token");

    AclSettings merged = lower.overlay(higher);

    assertThat(merged).isEqualTo(new AclSettings(true, "deny", null, "/etc/hivemind/root.token"));
  }
}
