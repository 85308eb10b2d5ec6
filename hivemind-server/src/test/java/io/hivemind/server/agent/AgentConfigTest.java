package io.hivemind.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.api.Environment;
import io.hivemind.core.membership.Address;
import io.hivemind.server.transport.GossipKeyring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentConfigTest {

  private static final String KEY = GossipKeyring.generateKey();

  @TempDir Path dir;

  @Test
  void resolve_nothingSet_developmentOnWellKnownPorts() {
    AgentConfig config = AgentConfig.resolve(AgentSettings.NONE, "host-a");

    assertThat(config.nodeName()).isEqualTo("host-a");
    assertThat(config.environment()).isEqualTo(Environment.DEVELOPMENT);
    assertThat(config.gossipBind()).isEqualTo(new Address("0.0.0.0", 7360));
    assertThat(config.httpBind()).isEqualTo(new Address("127.0.0.1", 7361));
    assertThat(config.advertise()).isNull();
    assertThat(config.seeds()).isEmpty();
    assertThat(config.roles()).containsExactlyInAnyOrder("catalog", "host");
    assertThat(config.cluster()).isEqualTo("hivemind");
    assertThat(config.encryptKeys()).isEmpty();
    assertThat(config.insecurePlaintextGossip()).isFalse();
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void resolve_secondInstanceOfProduction_takesItsPortsAndSuffixedName() {
    AgentConfig config =
        resolveEnv(
            Map.of(
                "HIVEMIND_ENV", "production",
                "HIVEMIND_INSTANCE", "1",
                "HIVEMIND_ENCRYPT_KEYS", KEY),
            "host-a");

    assertThat(config.nodeName()).isEqualTo("host-a-1");
    assertThat(config.gossipBind().port()).isEqualTo(7310);
    assertThat(config.httpBind().port()).isEqualTo(7311);
  }

  @Test
  void resolve_seedWithoutPort_getsTheEnvironmentsGossipPort() {
    AgentConfig config =
        resolveEnv(
            Map.of(
                "HIVEMIND_ENV", "staging",
                "HIVEMIND_ENCRYPT_KEYS", KEY,
                "HIVEMIND_SEEDS", "10.0.0.1, 10.0.0.2:9000,[::1]"),
            "n");

    assertThat(config.seeds())
        .containsExactly(
            new Address("10.0.0.1", 7320), new Address("10.0.0.2", 9000), new Address("::1", 7320));
  }

  @Test
  void layers_flagsOverEnvironmentOverFile() throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file,
        """
        node_name: from-file
        environment: testing
        cluster: file-cluster
        zone: zone-file
        tags:
          rack: r1
        seeds: [10.0.0.9]
        """);
    AgentSettings fromFile = AgentSettingsSources.fromYaml(file);
    AgentSettings fromEnv =
        AgentSettingsSources.fromEnvironment(
            Map.of("HIVEMIND_CLUSTER", "env-cluster", "HIVEMIND_ZONE", "zone-env"));
    AgentSettings flags =
        new AgentSettings(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "zone-flag",
            null,
            null,
            null,
            null);

    AgentConfig config = AgentConfig.resolve(fromFile.overlay(fromEnv).overlay(flags), "host");

    assertThat(config.nodeName()).isEqualTo("from-file");
    assertThat(config.environment()).isEqualTo(Environment.TESTING);
    assertThat(config.cluster()).isEqualTo("env-cluster");
    assertThat(config.zone()).isEqualTo("zone-flag");
    assertThat(config.tags()).containsEntry("rack", "r1");
    assertThat(config.seeds()).containsExactly(new Address("10.0.0.9", 7340));
  }

  // ---- secure by default: production and staging need a key or an explicit opt-out -------------

  @ParameterizedTest
  @ValueSource(strings = {"production", "staging", "PRODUCTION"})
  void resolve_keyRequiredEnvironmentWithoutKey_refusedWithHowToMakeOneAndHowToOptOut(String env) {
    assertThatThrownBy(() -> resolveEnv(Map.of("HIVEMIND_ENV", env), "n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "environment "
                + Environment.parse(env).id()
                + " needs a gossip key, and none is set: without one, anyone on the network can"
                + " read gossip and forge members. Make a key with `hivemind keygen` and give the"
                + " same key to every agent (encrypt_keys, HIVEMIND_ENCRYPT_KEYS or"
                + " --encrypt-key); or, to run without encryption anyway, set"
                + " insecure_plaintext_gossip: true (HIVEMIND_INSECURE_PLAINTEXT_GOSSIP=true or"
                + " --insecure-plaintext-gossip)");
  }

  @Test
  void resolve_productionWithExplicitOptOut_startsWithALoudWarning() {
    AgentConfig config =
        resolveEnv(
            Map.of("HIVEMIND_ENV", "production", "HIVEMIND_INSECURE_PLAINTEXT_GOSSIP", "true"),
            "n");

    assertThat(config.encryptKeys()).isEmpty();
    assertThat(config.insecurePlaintextGossip()).isTrue();
    assertThat(config.warnings())
        .containsExactly(
            "INSECURE: gossip in production is not encrypted (insecure_plaintext_gossip is set):"
                + " anyone on the network can read it and forge members; make a key with"
                + " `hivemind keygen`, give it to every agent (encrypt_keys) and drop"
                + " insecure_plaintext_gossip");
  }

  @ParameterizedTest
  @ValueSource(strings = {"development", "testing"})
  void resolve_developmentAndTesting_keepPlaintextWithoutOptOut(String env) {
    AgentConfig config = resolveEnv(Map.of("HIVEMIND_ENV", env), "n");

    assertThat(config.encryptKeys()).isEmpty();
    assertThat(config.warnings()).isEmpty(); // the transport still warns "not encrypted"
  }

  @Test
  void resolve_productionWithKey_noWarning_optOutBesideAKeyIsNotedAsNoEffect() {
    assertThat(
            resolveEnv(Map.of("HIVEMIND_ENV", "production", "HIVEMIND_ENCRYPT_KEYS", KEY), "n")
                .warnings())
        .isEmpty();
    Map<String, String> both =
        Map.of(
            "HIVEMIND_ENV", "production",
            "HIVEMIND_ENCRYPT_KEYS", KEY,
            "HIVEMIND_INSECURE_PLAINTEXT_GOSSIP", "TRUE");
    assertThat(resolveEnv(both, "n").warnings())
        .containsExactly(
            "insecure_plaintext_gossip is set but has no effect: gossip is encrypted with the"
                + " configured encrypt_keys");
  }

  @Test
  void resolve_badKey_namesItsPositionNeverItsValue() {
    String notAKey = "c2VjcmV0LWJ1dC1zaG9ydA==";

    assertThatThrownBy(() -> resolveEnv(Map.of("HIVEMIND_ENCRYPT_KEYS", KEY + "," + notAKey), "n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "HIVEMIND_ENCRYPT_KEYS: gossip key 2 of 2 decodes to 16 bytes; AES-256 needs 32"
                + " (generate one with `hivemind keygen`)")
        .message()
        .doesNotContain(notAKey)
        .doesNotContain(KEY);
    assertThatThrownBy(() -> resolveEnv(Map.of("HIVEMIND_ENCRYPT_KEYS", "not*base64"), "n"))
        .hasMessageStartingWith("HIVEMIND_ENCRYPT_KEYS: gossip key 1 of 1 is not valid base64")
        .hasMessageEndingWith("; use keys printed by `hivemind keygen` (32 bytes in base64)");
  }

  // ---- the HTTP API beyond loopback ------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "10.0.0.5", "[::]", "agent.example"})
  void warnings_httpApiBeyondLoopback_loudSentenceWithTheAddress(String host) {
    AgentConfig config = resolveEnv(Map.of("HIVEMIND_HTTP_BIND", host), "n");

    assertThat(config.warnings())
        .containsExactly(
            "INSECURE: the HTTP API listens on "
                + config.httpBind()
                + ", not on loopback, and ACLs are disabled: anyone who can reach that port can"
                + " register services, write KV entries and make this agent join or leave a"
                + " cluster; enable ACLs (acl_enabled, docs/acl.md) or keep http_bind on 127.0.0.1"
                + " unless a firewall keeps everyone else out");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "localhost", "[::1]", "::1"})
  void warnings_httpApiOnLoopback_none(String host) {
    assertThat(resolveEnv(Map.of("HIVEMIND_HTTP_BIND", host), "n").warnings()).isEmpty();
  }

  // ---- rules between settings ------------------------------------------------------------------

  @Test
  void resolve_httpAndGossipOnOneTcpPort_refused() {
    assertThatThrownBy(() -> resolveEnv(Map.of("HIVEMIND_HTTP_BIND", "127.0.0.1:7360"), "n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "http_bind '127.0.0.1:7360' and bind '0.0.0.0:7360' both take TCP port 7360: give"
                + " http_bind another port, or leave its port unset for the environment's");
    // Port 0 is "any free port" for both: no clash.
    assertThat(
            resolveEnv(
                    Map.of("HIVEMIND_BIND", "127.0.0.1:0", "HIVEMIND_HTTP_BIND", "127.0.0.1:0"),
                    "n")
                .httpBind())
        .isEqualTo(new Address("127.0.0.1", 0));
  }

  @Test
  void resolve_metadataBeyondTheCoresBound_refusedNamingTags() {
    Map<String, String> tags = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      tags.put("key" + i, "v".repeat(200));
    }
    AgentSettings settings =
        new AgentSettings(
            null, null, null, null, null, null, null, null, null, tags, null, null, null, null,
            null);

    assertThatThrownBy(() -> AgentConfig.resolve(settings, "n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "tags: roles, tags and zone take 623 bytes; at most 512 are allowed: use fewer or"
                + " shorter tags");
  }

  @Test
  void resolve_defaultNodeNameFromABadHostName_saysHowToSetOne() {
    assertThatThrownBy(() -> AgentConfig.resolve(AgentSettings.NONE, "my host"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "the default node name (the host name) 'my host' is not a valid node name: ' ' at"
                + " position 3 is not allowed; use 1 to 128 bytes of ASCII letters, digits, '-',"
                + " '_' and '.', starting with a letter or digit; set a name with node_name,"
                + " HIVEMIND_NODE_NAME or --node");
  }

  @Test
  void resolve_settingsBuiltInCode_checkedWithYamlNames() {
    AgentSettings settings =
        new AgentSettings(
            "", null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    assertThatThrownBy(() -> AgentConfig.resolve(settings, "n"))
        .hasMessageStartingWith("node_name '' is not a valid node name: it is empty;");
  }

  @Test
  void resolve_rolesAnyCase_storedLowerCase() {
    assertThat(resolveEnv(Map.of("HIVEMIND_ROLES", "Control, DNS"), "n").roles())
        .containsExactlyInAnyOrder("control", "dns");
  }

  @Test
  void knownRoles_oneList_theDefaultIsASubset() {
    assertThat(Roles.known()).containsExactly("catalog", "control", "dns", "host", "probe");
    assertThat(Roles.known()).containsAll(Roles.DEFAULT);
  }

  private static AgentConfig resolveEnv(Map<String, String> env, String host) {
    return AgentConfig.resolve(AgentSettingsSources.fromEnvironment(env), host);
  }
}
