package io.hivemind.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.hivemind.api.Environment;
import io.hivemind.core.membership.Address;
import io.hivemind.server.role.ControlConfig;
import io.hivemind.server.role.NodeConfig;
import io.hivemind.server.role.TlsFiles;
import io.hivemind.server.transport.GossipKeyring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The control plane's settings (issue 10): each valid, invalid, and in its layers. */
class ControlSettingsTest {

  private static final String TOKEN = "join-token-0123456789abcdef";
  private static final String KEY = GossipKeyring.generateKey();

  @TempDir Path dir;

  private Path home() throws IOException {
    return Files.createDirectories(dir.resolve("home"));
  }

  private AgentConfig resolve(Map<String, String> env) throws IOException {
    return AgentConfig.resolve(AgentSettingsSources.fromEnvironment(env), "n", home());
  }

  private static Map<String, String> control(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("HIVEMIND_ROLES", "control,host");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private Path file(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  // ---- defaults ---------------------------------------------------------------------------------

  @Test
  void resolve_nothingSet_noGroupNoTokenNoTlsWellKnownPortsDataDirUnderHome() throws IOException {
    AgentConfig config = resolve(Map.of());
    ControlConfig control = config.control();

    assertThat(control.bootstrapExpect()).isZero();
    assertThat(control.raftBind()).isEqualTo(new Address("0.0.0.0", 7363));
    assertThat(control.gatewayBind()).isEqualTo(new Address("0.0.0.0", 7365));
    assertThat(control.hasJoinToken()).isFalse();
    assertThat(control.hasTls()).isFalse();
    assertThat(control.requireRoles()).isEmpty();
    assertThat(config.dataDir()).isEqualTo(home().resolve(".hivemind/data/development/n"));
    assertThat(Files.exists(config.dataDir())).as("resolve creates nothing").isFalse();
  }

  @Test
  void resolve_secondInstanceOfProduction_controlPortsOfThatInstance() throws IOException {
    AgentConfig config =
        resolve(
            Map.of(
                "HIVEMIND_ENV",
                "production",
                "HIVEMIND_INSTANCE",
                "1",
                "HIVEMIND_ENCRYPT_KEYS",
                KEY));

    assertThat(config.control().raftBind().port()).isEqualTo(7313);
    assertThat(config.control().gatewayBind().port()).isEqualTo(7315);
    assertThat(config.dataDir()).isEqualTo(home().resolve(".hivemind/data/production/n-1"));
  }

  @Test
  void nodeConfig_carriesWhatRolesSee() throws IOException {
    AgentConfig config = resolve(control("HIVEMIND_BOOTSTRAP_EXPECT", "3", "HIVEMIND_ZONE", "z1"));

    NodeConfig node = config.nodeConfig();

    assertThat(node.nodeName()).isEqualTo("n");
    assertThat(node.environment()).isEqualTo(Environment.DEVELOPMENT);
    assertThat(node.roles()).containsExactlyInAnyOrder("control", "host");
    assertThat(node.zone()).isEqualTo("z1");
    assertThat(node.dataDir()).isEqualTo(config.dataDir());
    assertThat(node.control()).isEqualTo(config.control());
  }

  // ---- bootstrap_expect -------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 5})
  void bootstrapExpect_groupSizes_accepted(int size) throws IOException {
    assertThat(
            resolve(control("HIVEMIND_BOOTSTRAP_EXPECT", String.valueOf(size)))
                .control()
                .bootstrapExpect())
        .isEqualTo(size);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2|HIVEMIND_BOOTSTRAP_EXPECT 2 is not a group size: use 0 (form no group: join the one that"
            + " exists), 1 (development only), 3 or 5; an even group tolerates no more failures"
            + " than one voter fewer",
        "7|HIVEMIND_BOOTSTRAP_EXPECT 7 is not a group size: use 0 (form no group: join the one that"
            + " exists), 1 (development only), 3 or 5; an even group tolerates no more failures"
            + " than one voter fewer",
        "three|HIVEMIND_BOOTSTRAP_EXPECT 'three' is not a group size: use 0, 1 (development only),"
            + " 3 or 5",
      })
  void bootstrapExpect_otherValues_refused(String value, String sentence) {
    assertThatThrownBy(() -> resolve(control("HIVEMIND_BOOTSTRAP_EXPECT", value)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(sentence);
  }

  @Test
  void bootstrapExpectOne_outsideDevelopment_refusedSayingWhy() {
    assertThatThrownBy(
            () ->
                resolve(
                    control(
                        "HIVEMIND_BOOTSTRAP_EXPECT", "1",
                        "HIVEMIND_ENV", "testing")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "bootstrap_expect 1 is for the development environment only, and this is testing: a"
                + " group of one voter survives no failure (when that node or its disk is lost,"
                + " nothing can be admitted or removed, and the log has no other copy); use 3 or 5"
                + " control nodes");
  }

  @Test
  void bootstrapExpect_withoutTheControlRole_refused() {
    assertThatThrownBy(
            () -> resolve(Map.of("HIVEMIND_BOOTSTRAP_EXPECT", "3", "HIVEMIND_ROLES", "host,dns")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "bootstrap_expect 3 needs the control role: only control nodes vote in the group they"
                + " form; add control to roles, or leave bootstrap_expect unset on a node that"
                + " does not vote");
  }

  // ---- data_dir ---------------------------------------------------------------------------------

  @Test
  void dataDir_set_absoluteAndNormalized() throws IOException {
    Path data = dir.resolve("data");

    assertThat(resolve(Map.of("HIVEMIND_DATA_DIR", data + "/./x/..")).dataDir()).isEqualTo(data);
  }

  @Test
  void dataDir_tilde_isTheHome() throws IOException {
    assertThat(resolve(Map.of("HIVEMIND_DATA_DIR", "~/state")).dataDir())
        .isEqualTo(home().resolve("state"));
  }

  @Test
  void dataDir_aFile_refused() throws IOException {
    Path file = file("not-a-dir", "x");

    assertThatThrownBy(() -> resolve(Map.of("HIVEMIND_DATA_DIR", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "data_dir '"
                + file
                + "' is not a directory: use a directory, or a path that does not exist");
  }

  @Test
  void dataDir_notWritable_refused() throws IOException {
    assumeFalse("root".equals(System.getProperty("user.name")), "root writes anywhere");
    Path readOnly =
        Files.createDirectory(
            dir.resolve("ro"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-x------")));

    assertThatThrownBy(() -> resolve(Map.of("HIVEMIND_DATA_DIR", readOnly.toString())))
        .hasMessage(
            "data_dir '"
                + readOnly
                + "' cannot be written by this user: give the agent's user write access, or use"
                + " another directory");
  }

  @Test
  void dataDir_notAPath_refusedOnOneLine() {
    assertThatThrownBy(() -> resolve(Map.of("HIVEMIND_DATA_DIR", "/var/a\u0000b")))
        .hasMessage(
            "HIVEMIND_DATA_DIR '/var/a\\u0000b' is not a path: Nul character not allowed; use a"
                + " file path");
  }

  @Test
  void dataDir_empty_refused() {
    assertThatThrownBy(() -> resolve(Map.of("HIVEMIND_DATA_DIR", " ")))
        .hasMessage("HIVEMIND_DATA_DIR is empty: use a path");
  }

  // ---- join_token -------------------------------------------------------------------------------

  @Test
  void joinToken_fromTheVariable_neverInToString() throws IOException {
    AgentConfig config = resolve(Map.of("HIVEMIND_JOIN_TOKEN", TOKEN));

    assertThat(config.control().joinToken().matches(TOKEN)).isTrue();
    assertThat(config.toString()).doesNotContain(TOKEN);
    assertThat(
            AgentSettingsSources.fromEnvironment(Map.of("HIVEMIND_JOIN_TOKEN", TOKEN)).toString())
        .doesNotContain(TOKEN);
  }

  @Test
  void joinToken_fromAFile_trailingNewlineDropped() throws IOException {
    Path file = file("token", TOKEN + "\n");

    AgentConfig config = resolve(Map.of("HIVEMIND_JOIN_TOKEN_FILE", file.toString()));

    assertThat(config.control().joinToken().matches(TOKEN)).isTrue();
  }

  @Test
  void joinToken_tooShort_refusedWithoutShowingIt() {
    assertThatThrownBy(() -> resolve(Map.of("HIVEMIND_JOIN_TOKEN", "hunter2")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "HIVEMIND_JOIN_TOKEN is not a usable join token: it is 7 characters; use 16 to 512"
                + " printable ASCII characters without spaces, such as a key printed by"
                + " `hivemind keygen`")
        .message()
        .doesNotContain("hunter2");
  }

  @Test
  void joinTokenFile_holdingNoToken_refusedWithoutShowingItsContent() throws IOException {
    Path file = file("token", "hunter2 hunter2 hunter2\n");

    assertThatThrownBy(() -> resolve(Map.of("HIVEMIND_JOIN_TOKEN_FILE", file.toString())))
        .hasMessage(
            "join_token_file '"
                + file
                + "' does not hold a usable join token: the character at position 8 is not"
                + " printable ASCII (a space, a control character or beyond ASCII); write 16 to"
                + " 512 printable ASCII characters without spaces, such as a key printed by"
                + " `hivemind keygen`, alone in the file")
        .message()
        .doesNotContain("hunter2");
  }

  @Test
  void joinTokenFile_missing_refused() {
    Path missing = dir.resolve("no-such-token");

    assertThatThrownBy(() -> resolve(Map.of("HIVEMIND_JOIN_TOKEN_FILE", missing.toString())))
        .hasMessage("join_token_file '" + missing + "' does not exist");
  }

  @Test
  void joinTokenAndItsFile_inOneLayer_refused() throws IOException {
    Path file = file("token", TOKEN);

    assertThatThrownBy(
            () ->
                resolve(
                    Map.of(
                        "HIVEMIND_JOIN_TOKEN", TOKEN, "HIVEMIND_JOIN_TOKEN_FILE", file.toString())))
        .hasMessage(
            "HIVEMIND_JOIN_TOKEN and HIVEMIND_JOIN_TOKEN_FILE are both set: set one of them");
  }

  @Test
  void joinTokenFile_inAHigherLayer_replacesALowerLayersToken() throws IOException {
    String other = "another-token-0123456789";
    Path file = file("token", other);
    AgentSettings env = AgentSettingsSources.fromEnvironment(Map.of("HIVEMIND_JOIN_TOKEN", TOKEN));
    AgentSettings flags =
        AgentSettings.NONE.withControl(
            new ControlSettings(
                null, null, null, file.toString(), null, null, null, null, null, null));

    AgentConfig config = AgentConfig.resolve(env.overlay(flags), "n", home());

    assertThat(config.control().joinToken().matches(other)).isTrue();
  }

  // ---- require_roles ----------------------------------------------------------------------------

  @Test
  void requireRoles_knownAnyCase_storedLowerCase() throws IOException {
    assertThat(resolve(Map.of("HIVEMIND_REQUIRE_ROLES", "Control, dns")).control().requireRoles())
        .containsExactlyInAnyOrder("control", "dns");
  }

  @Test
  void requireRoles_unknown_listsTheKnownOnes() {
    assertThatThrownBy(() -> resolve(Map.of("HIVEMIND_REQUIRE_ROLES", "dns,nginx")))
        .hasMessage(
            "HIVEMIND_REQUIRE_ROLES 'nginx' is not a role: use catalog, control, dns, host or probe");
  }

  // ---- TLS --------------------------------------------------------------------------------------

  @Test
  void controlNode_withoutTlsBeyondLoopback_warnsThatAnyoneMaySubmit() throws IOException {
    AgentConfig wide = resolve(control());
    AgentConfig loopback =
        resolve(
            control(
                "HIVEMIND_CONTROL_BIND", "127.0.0.1",
                "HIVEMIND_CONTROL_GATEWAY_BIND", "127.0.0.1"));

    assertThat(wide.warnings())
        .anyMatch(w -> w.startsWith("INSECURE: this control node's Raft port (0.0.0.0:7363)"));
    assertThat(loopback.warnings()).noneMatch(w -> w.contains("control node's Raft port"));
    assertThat(resolve(Map.of()).warnings()).noneMatch(w -> w.contains("Raft port"));
  }

  @Test
  void controlNode_withTls_noControlWarning() throws IOException {
    AgentConfig config =
        resolve(
            control(
                "HIVEMIND_TLS_CA_FILE", file("ca.pem", "ca").toString(),
                "HIVEMIND_TLS_CERT_FILE", file("node.pem", "cert").toString(),
                "HIVEMIND_TLS_KEY_FILE", file("node-key.pem", "key").toString()));

    assertThat(config.warnings()).noneMatch(w -> w.contains("Raft port"));
  }

  @Test
  void tls_allThreeReadable_accepted() throws IOException {
    Path ca = file("ca.pem", "ca");
    Path cert = file("node.pem", "cert");
    Path key = file("node-key.pem", "key");

    AgentConfig config =
        resolve(
            Map.of(
                "HIVEMIND_TLS_CA_FILE", ca.toString(),
                "HIVEMIND_TLS_CERT_FILE", cert.toString(),
                "HIVEMIND_TLS_KEY_FILE", key.toString()));

    assertThat(config.control().tls()).isEqualTo(new TlsFiles(ca, cert, key));
  }

  @Test
  void tls_notAllThree_refusedNamingWhatIsMissing() throws IOException {
    Path cert = file("node.pem", "cert");

    assertThatThrownBy(() -> resolve(Map.of("HIVEMIND_TLS_CERT_FILE", cert.toString())))
        .hasMessage(
            "tls_ca_file, tls_cert_file and tls_key_file go together, and tls_cert_file is set"
                + " without tls_ca_file and tls_key_file: set all three for mutual TLS (`hivemind"
                + " tls ca create`, `hivemind tls cert create` write them), or none");
  }

  @Test
  void tls_aFileMissingOrADirectory_refused() throws IOException {
    Path ca = file("ca.pem", "ca");
    Path cert = file("node.pem", "cert");
    Path missing = dir.resolve("no-key.pem");

    assertThatThrownBy(
            () ->
                resolve(
                    Map.of(
                        "HIVEMIND_TLS_CA_FILE", ca.toString(),
                        "HIVEMIND_TLS_CERT_FILE", cert.toString(),
                        "HIVEMIND_TLS_KEY_FILE", missing.toString())))
        .hasMessage("tls_key_file '" + missing + "' does not exist");
    assertThatThrownBy(
            () ->
                resolve(
                    Map.of(
                        "HIVEMIND_TLS_CA_FILE", dir.toString(),
                        "HIVEMIND_TLS_CERT_FILE", cert.toString(),
                        "HIVEMIND_TLS_KEY_FILE", ca.toString())))
        .hasMessage("tls_ca_file '" + dir + "' is not a file");
  }

  // ---- control ports ----------------------------------------------------------------------------

  @Test
  void controlBinds_overridden_portDefaultsToTheWellKnownOne() throws IOException {
    AgentConfig config =
        resolve(
            control(
                "HIVEMIND_CONTROL_BIND", "127.0.0.2",
                "HIVEMIND_CONTROL_GATEWAY_BIND", "127.0.0.2:9005"));

    assertThat(config.control().raftBind()).isEqualTo(new Address("127.0.0.2", 7363));
    assertThat(config.control().gatewayBind()).isEqualTo(new Address("127.0.0.2", 9005));
  }

  @Test
  void controlBind_onTheHttpPort_refusedOnAControlNode() {
    assertThatThrownBy(() -> resolve(control("HIVEMIND_CONTROL_BIND", "127.0.0.1:7361")))
        .hasMessage(
            "control_bind '127.0.0.1:7361' and http_bind '127.0.0.1:7361' both take TCP port 7361:"
                + " give control_bind another port, or leave its port unset for the environment's");
    assertThatThrownBy(
            () ->
                resolve(
                    control(
                        "HIVEMIND_CONTROL_BIND", "127.0.0.1:9000",
                        "HIVEMIND_CONTROL_GATEWAY_BIND", "0.0.0.0:9000")))
        .hasMessageStartingWith(
            "control_gateway_bind '0.0.0.0:9000' and control_bind '127.0.0.1:9000' both take TCP"
                + " port 9000");
  }

  @Test
  void controlBind_onTheHttpPort_ignoredOnAPlainAgent() throws IOException {
    // A plain agent opens no control listener, so its unused setting clashes with nothing.
    assertThat(resolve(Map.of("HIVEMIND_CONTROL_BIND", "127.0.0.1:7361")).control().raftBind())
        .isEqualTo(new Address("127.0.0.1", 7361));
  }

  @Test
  void controlBind_notAnAddress_refused() {
    assertThatThrownBy(() -> resolve(control("HIVEMIND_CONTROL_BIND", "127.0.0.1:99999")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("HIVEMIND_CONTROL_BIND '127.0.0.1:99999'");
  }

  // ---- layers -----------------------------------------------------------------------------------

  @Test
  void everyControlSetting_readFromYaml() throws IOException {
    Path file =
        file(
            "agent.yaml",
            """
            roles: [control, host]
            data_dir: /var/lib/hivemind
            bootstrap_expect: 3
            join_token_file: /etc/hivemind/token
            require_roles: [dns, host]
            tls_ca_file: /etc/hivemind/ca.pem
            tls_cert_file: /etc/hivemind/node.pem
            tls_key_file: /etc/hivemind/node-key.pem
            control_bind: 10.0.0.7
            control_gateway_bind: 10.0.0.7:7305
            """);

    assertThat(AgentSettingsSources.fromYaml(file).control())
        .isEqualTo(
            new ControlSettings(
                "/var/lib/hivemind",
                3,
                null,
                "/etc/hivemind/token",
                List.of("dns", "host"),
                "/etc/hivemind/ca.pem",
                "/etc/hivemind/node.pem",
                "/etc/hivemind/node-key.pem",
                "10.0.0.7",
                "10.0.0.7:7305"));
  }

  @Test
  void yaml_badGroupSize_namesTheFile() throws IOException {
    Path file = file("agent.yaml", "bootstrap_expect: 4\n");

    assertThatThrownBy(() -> AgentSettingsSources.fromYaml(file))
        .hasMessageStartingWith(file + ": bootstrap_expect 4 is not a group size");
  }

  @Test
  void layers_flagsOverEnvironmentOverFile() throws IOException {
    Path yamlData = dir.resolve("yaml-data");
    Path envData = dir.resolve("env-data");
    Path flagData = dir.resolve("flag-data");
    Path file =
        file(
            "agent.yaml",
            """
            roles: [control]
            data_dir: %s
            bootstrap_expect: 5
            require_roles: [dns]
            control_bind: 127.0.0.1:9001
            control_gateway_bind: 127.0.0.1:9002
            """
                .formatted(yamlData));
    AgentSettings yaml = AgentSettingsSources.fromYaml(file);
    AgentSettings env =
        AgentSettingsSources.fromEnvironment(
            Map.of(
                "HIVEMIND_DATA_DIR", envData.toString(),
                "HIVEMIND_BOOTSTRAP_EXPECT", "3",
                "HIVEMIND_REQUIRE_ROLES", "host",
                "HIVEMIND_CONTROL_BIND", "127.0.0.1:9011"));
    AgentSettings flags =
        AgentSettings.NONE
            .withControl(
                new ControlSettings(
                    flagData.toString(),
                    1,
                    null,
                    null,
                    List.of("catalog"),
                    null,
                    null,
                    null,
                    null,
                    null))
            .checked(Setting::flag);

    AgentConfig all = AgentConfig.resolve(yaml.overlay(env).overlay(flags), "n", home());
    AgentConfig noFlags = AgentConfig.resolve(yaml.overlay(env), "n", home());

    assertThat(all.dataDir()).isEqualTo(flagData);
    assertThat(all.control().bootstrapExpect()).isEqualTo(1);
    assertThat(all.control().requireRoles()).containsExactly("catalog");
    assertThat(all.control().raftBind().port()).isEqualTo(9011);
    assertThat(all.control().gatewayBind().port()).isEqualTo(9002);
    assertThat(noFlags.dataDir()).isEqualTo(envData);
    assertThat(noFlags.control().bootstrapExpect()).isEqualTo(3);
    assertThat(noFlags.control().requireRoles()).containsExactly("host");
  }

  @Test
  void flagLayer_badValue_namedAsTheFlag() {
    AgentSettings flags =
        AgentSettings.NONE.withControl(
            new ControlSettings(null, 4, null, null, null, null, null, null, null, null));

    assertThatThrownBy(() -> flags.checked(Setting::flag))
        .hasMessageStartingWith("--bootstrap-expect 4 is not a group size");
  }
}
