package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.membership.Address;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.Roles;
import io.hivemind.server.agent.Setting;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hivemind agent} with configuration mistakes, through {@link HivemindCommand#execute}: one
 * sentence on stderr naming the setting, the value and what is accepted, exit code 2, no stack
 * trace. Every case fails before anything binds a port: no agent starts in these tests.
 */
class AgentCommandTest {

  private static final String NAME_RULE =
      "1 to 128 bytes of ASCII letters, digits, '-', '_' and '.', starting with a letter or digit";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return HivemindCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** Runs {@code hivemind agent ARGS} and checks the one-sentence, exit-2 contract. */
  private void assertRefused(String sentence, String... args) {
    List<String> all = new ArrayList<>(List.of("agent"));
    all.addAll(List.of(args));

    int code = run(all.toArray(String[]::new));

    assertThat(code).as(err.toString()).isEqualTo(HivemindCommand.USAGE_ERROR);
    assertThat(err.toString()).isEqualTo("hivemind agent: " + sentence + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  /**
   * The known roles as sentences list them: those on this module's class path (the distribution
   * adds control with hivemind-control).
   */
  private static String knownRoles() {
    List<String> known = Roles.known();
    return String.join(", ", known.subList(0, known.size() - 1))
        + " or "
        + known.get(known.size() - 1);
  }

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void emptyNodeName() {
    assertRefused(
        "--node '' is not a valid node name: it is empty; use " + NAME_RULE, "--node", "");
  }

  @Test
  void nodeNameOf300Bytes() {
    assertRefused(
        "--node '"
            + "n".repeat(40)
            + "...' is not a valid node name: it is 300 bytes; use "
            + NAME_RULE,
        "--node",
        "n".repeat(300));
  }

  @Test
  void nodeNameWithASpace() {
    assertRefused(
        "--node 'web 7' is not a valid node name: ' ' at position 4 is not allowed; use "
            + NAME_RULE,
        "--node",
        "web 7");
  }

  @Test
  void unknownRole_listsTheKnownRoles() {
    assertRefused(
        "--role 'web' is not a role: use " + knownRoles(),
        "--node",
        "t1",
        "--role",
        "host",
        "--role",
        "web");
  }

  @Test
  void badTagKeyAndValue() {
    assertRefused(
        "--tag key 'rack id' is not a valid tag key: ' ' at position 5 is not allowed; use 1 to 64"
            + " bytes of ASCII letters, digits, '-', '_' and '.', starting with a letter or digit",
        "--tag",
        "rack id=r1");
  }

  @Test
  void badGossipKey_sameExitCodeAsEveryConfigurationError() {
    assertRefused(
        "--encrypt-key: gossip key 1 of 1 decodes to 2 bytes; AES-256 needs 32 (generate one with"
            + " `hivemind keygen`)",
        "--node",
        "t1",
        "--encrypt-key",
        "abc");
  }

  @Test
  void stagingWithoutKey_saysHowToMakeOneAndHowToOptOut() {
    assertRefused(
        "environment staging needs a gossip key, and none is set: without one, anyone on the"
            + " network can read gossip and forge members. Make a key with `hivemind keygen` and"
            + " give the same key to every agent (encrypt_keys, HIVEMIND_ENCRYPT_KEYS or"
            + " --encrypt-key); or, to run without encryption anyway, set"
            + " insecure_plaintext_gossip: true (HIVEMIND_INSECURE_PLAINTEXT_GOSSIP=true or"
            + " --insecure-plaintext-gossip)",
        "--node",
        "t1",
        "--env",
        "staging");
  }

  @Test
  void productionWithOptOut_passesTheKeyRule() {
    // The opt-out gets past the key rule; the metadata rule, checked after it, then refuses.
    String big = "v".repeat(200);
    assertRefused(
        "tags: roles, tags and zone take 623 bytes; at most 512 are allowed: use fewer or shorter"
            + " tags",
        "--node",
        "t1",
        "--env",
        "production",
        "--insecure-plaintext-gossip",
        "--tag",
        "tag1=" + big,
        "--tag",
        "tag2=" + big,
        "--tag",
        "tag3=" + big);
  }

  @Test
  void yaml_scalarWhereAListGoes_isAList_soItsItemIsChecked() throws IOException {
    Path file = yaml("seeds: 10.0.0.1 10.0.0.2\n");

    assertRefused(
        file
            + ": seeds '10.0.0.1 10.0.0.2' is not an address: ' ' at position 9 cannot be part of a"
            + " host; use host, host:port or [IPv6]:port",
        "--config",
        file.toString());
  }

  @Test
  void yaml_emptyFile_meansNoSettings() throws IOException {
    Path file = yaml("");

    // The file is accepted; the next rule to apply is production's key.
    assertRefused(
        "environment production needs a gossip key, and none is set: without one, anyone on the"
            + " network can read gossip and forge members. Make a key with `hivemind keygen` and"
            + " give the same key to every agent (encrypt_keys, HIVEMIND_ENCRYPT_KEYS or"
            + " --encrypt-key); or, to run without encryption anyway, set"
            + " insecure_plaintext_gossip: true (HIVEMIND_INSECURE_PLAINTEXT_GOSSIP=true or"
            + " --insecure-plaintext-gossip)",
        "--config",
        file.toString(),
        "--node",
        "t1",
        "--env",
        "production");
  }

  @Test
  void yaml_unknownKey_sameExitCode() throws IOException {
    Path file = yaml("node_name: t1\nseed: [10.0.0.1]\n");

    assertRefused(
        file
            + ": unknown key 'seed'; known keys: acl_agent_token_file, acl_default_policy, acl_enabled,"
            + " acl_initial_management_token_file, advertise, bind, bootstrap_expect, cluster,"
            + " control_bind, control_gateway_bind, data_dir, dns_domain, dns_port, dns_recursors,"
            + " dns_ttl, encrypt_keys, environment,"
            + " http_bind, insecure_plaintext_gossip, instance, join_token, join_token_file,"
            + " log_format, node_name, partition_backups, profile, require_roles, roles, seeds,"
            + " state_sync_backups, tags, tls_ca_file, tls_cert_file, tls_key_file, zone",
        "--config",
        file.toString());
  }

  @Test
  void yaml_listWhereOneValueGoes() throws IOException {
    Path file = yaml("node_name: [a, b]\n");

    assertRefused(
        file + ": node_name takes a single value, not a list: write node_name: VALUE",
        "--config",
        file.toString());
  }

  @Test
  void yaml_notYaml() throws IOException {
    Path file = yaml("roles: [host\n");

    assertRefused(
        "configuration file "
            + file
            + " is not valid YAML (line 1, column 13): expected ',' or ']', but got <stream end>",
        "--config",
        file.toString());
  }

  @Test
  void missingConfigFile() {
    Path file = dir.resolve("absent.yaml");

    assertRefused("configuration file " + file + " does not exist", "--config", file.toString());
  }

  @Test
  void wildcardAdvertise() {
    assertRefused(
        "--advertise '0.0.0.0' is not an address other nodes can reach: it is the wildcard"
            + " address; use this host's address, or leave --advertise unset to derive it from the"
            + " bind address",
        "--node",
        "t1",
        "--advertise",
        "0.0.0.0");
  }

  @Test
  void flagTheParserRefuses_sameExitCode() {
    int code = run("agent", "--instance", "one");

    assertThat(code).isEqualTo(HivemindCommand.USAGE_ERROR);
    assertThat(err.toString()).contains("'one' is not an int").doesNotContain("\tat ");
  }

  @Test
  void help_documentsTheOptOutAndTheExitCodes() {
    assertThat(run("agent", "--help")).isZero();

    assertThat(out.toString())
        .contains("--insecure-plaintext-gossip")
        .contains("A role to perform: " + String.join(", ", Roles.known()) + ";")
        .contains("Exit codes:")
        .contains("2   a mistake in the command line or the configuration");
    assertThat(out.toString().replaceAll("\\s+", " "))
        .contains(
            "The cluster's join token. Visible to every user of this host in ps: prefer"
                + " HIVEMIND_JOIN_TOKEN or --join-token-file.");
  }

  @Test
  void everySetting_hasItsFlag() {
    CommandLine agent = new CommandLine(new AgentCommand());
    for (Setting setting : Setting.values()) {
      assertThat(agent.getCommandSpec().findOption(setting.flag())).as(setting.flag()).isNotNull();
    }
  }

  @Test
  void devCluster_everyKnownRole_noWarnings() {
    int[] port = {20_000};
    List<AgentConfig> configs = DevCommand.configs(3, dir, () -> port[0]++);

    assertThat(configs)
        .allSatisfy(
            c -> {
              assertThat(c.roles()).containsExactlyInAnyOrderElementsOf(Roles.known());
              assertThat(c.warnings()).isEmpty();
              assertThat(c.dataDir()).isEqualTo(dir.resolve(c.nodeName()));
            });
  }

  // ---- the control plane's settings ------------------------------------------------------------

  private AgentConfig parse(String... args) {
    AgentCommand command = new AgentCommand();
    new CommandLine(command).parseArgs(args);
    return command.config(Map.of());
  }

  @Test
  void controlFlags_reachTheConfiguration() throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "token-from-a-file-0123456789\n");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
    Path cert = Files.writeString(dir.resolve("node.pem"), "cert");
    Path key = Files.writeString(dir.resolve("node-key.pem"), "key");

    AgentConfig config =
        parse(
            "--node",
            "c1",
            "--data-dir",
            dir.resolve("data").toString(),
            "--join-token-file",
            token.toString(),
            "--require-role",
            "dns",
            "--require-role",
            "HOST",
            "--tls-ca-file",
            ca.toString(),
            "--tls-cert-file",
            cert.toString(),
            "--tls-key-file",
            key.toString(),
            "--control-bind",
            "127.0.0.1:9100",
            "--control-gateway-bind",
            "127.0.0.1:9102");

    assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
    assertThat(config.control().joinToken().matches("token-from-a-file-0123456789")).isTrue();
    assertThat(config.control().requireRoles()).containsExactlyInAnyOrder("dns", "host");
    assertThat(config.control().tls().keyFile()).isEqualTo(key);
    assertThat(config.control().raftBind()).isEqualTo(new Address("127.0.0.1", 9100));
    assertThat(config.control().gatewayBind()).isEqualTo(new Address("127.0.0.1", 9102));
  }

  @Test
  void joinTokenFlag_overTheVariable() {
    AgentCommand command = new AgentCommand();
    new CommandLine(command)
        .parseArgs("--node", "c1", "--join-token", "flag-token-0123456789abcdef");

    AgentConfig config =
        command.config(Map.of("HIVEMIND_JOIN_TOKEN", "env-token-0123456789abcdef"));

    assertThat(config.control().joinToken().matches("flag-token-0123456789abcdef")).isTrue();
  }

  // ---- the partitioned store's settings ---------------------------------------------------------

  @Test
  void stateFlags_overTheVariables() {
    AgentCommand command = new AgentCommand();
    new CommandLine(command)
        .parseArgs("--node", "c1", "--partition-backups", "2", "--state-sync-backups", "0");

    AgentConfig config =
        command.config(
            Map.of("HIVEMIND_PARTITION_BACKUPS", "3", "HIVEMIND_STATE_SYNC_BACKUPS", "3"));

    assertThat(config.control().partitionBackups()).isEqualTo(2);
    assertThat(config.state().syncBackups()).isZero();
  }

  @Test
  void stateVariables_withoutFlags_reachTheConfiguration() {
    AgentCommand command = new AgentCommand();
    new CommandLine(command).parseArgs("--node", "c1");

    AgentConfig config =
        command.config(
            Map.of("HIVEMIND_PARTITION_BACKUPS", "0", "HIVEMIND_STATE_SYNC_BACKUPS", "2"));

    assertThat(config.control().partitionBackups()).isZero();
    assertThat(config.state().syncBackups()).isEqualTo(2);
  }

  @Test
  void partitionBackupsOfFour() {
    assertRefused(
        "--partition-backups '4' is not a backup count: use a number from 0 to 3",
        "--partition-backups",
        "4");
  }

  @Test
  void stateSyncBackupsNotANumber() {
    assertRefused(
        "--state-sync-backups 'all' is not a synchronous backup count: use a number from 0 to 3",
        "--state-sync-backups",
        "all");
  }

  @Test
  void bootstrapExpectOfTwo() {
    assertRefused(
        "--bootstrap-expect 2 is not a group size: use 0 (form no group: join the one that exists),"
            + " 1 (development only), 3 or 5; an even group tolerates no more failures than one"
            + " voter fewer",
        "--node",
        "t1",
        "--bootstrap-expect",
        "2");
  }

  @Test
  void bootstrapExpectWithoutTheControlRole() {
    assertRefused(
        "bootstrap_expect 3 needs the control role: only control nodes vote in the group they"
            + " form; add control to roles, or leave bootstrap_expect unset on a node that does not"
            + " vote",
        "--node",
        "t1",
        "--bootstrap-expect",
        "3");
  }

  @Test
  void shortJoinToken_neverEchoed() {
    assertRefused(
        "--join-token is not a usable join token: it is 6 characters; use 16 to 512 printable"
            + " ASCII characters without spaces, such as a key printed by `hivemind keygen`",
        "--node",
        "t1",
        "--join-token",
        "abc123");
    assertThat(err.toString()).doesNotContain("abc123");
  }

  @Test
  void requireUnknownRole() {
    assertRefused(
        "--require-role 'nginx' is not a role: use " + knownRoles(),
        "--node",
        "t1",
        "--require-role",
        "nginx");
  }

  @Test
  void tlsWithoutItsKey() throws IOException {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
    Path cert = Files.writeString(dir.resolve("node.pem"), "cert");

    assertRefused(
        "tls_ca_file, tls_cert_file and tls_key_file go together, and tls_ca_file and"
            + " tls_cert_file are set without tls_key_file: set all three for mutual TLS"
            + " (`hivemind tls ca create`, `hivemind tls cert create` write them), or none",
        "--node",
        "t1",
        "--tls-ca-file",
        ca.toString(),
        "--tls-cert-file",
        cert.toString());
  }

  @Test
  void tlsCertificateOfAnotherNode_refusedBeforeAnyPortIsBound() {
    Path ca = dir.resolve("ca");
    assertThat(run("tls", "ca", "create", "--dir", ca.toString())).isZero();
    assertThat(
            run(
                "tls",
                "cert",
                "create",
                "--ca-dir",
                ca.toString(),
                "--name",
                "t2",
                "--out",
                ca.toString()))
        .isZero();
    err.getBuffer().setLength(0);

    int code =
        run(
            "agent",
            "--node",
            "t1",
            "--data-dir",
            dir.resolve("data").toString(),
            "--tls-ca-file",
            ca.resolve("ca.pem").toString(),
            "--tls-cert-file",
            ca.resolve("t2.pem").toString(),
            "--tls-key-file",
            ca.resolve("t2-key.pem").toString());

    assertThat(code).as(err.toString()).isEqualTo(HivemindCommand.USAGE_ERROR);
    assertThat(err.toString())
        .isEqualTo(
            "hivemind: "
                + ca.resolve("t2.pem")
                + " names node 't2', but this node is 't1': every node needs a certificate of its"
                + " own name (hivemind tls cert create --name t1)"
                + System.lineSeparator());
  }

  @Test
  void dataDirThatIsAFile() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");

    assertRefused(
        "data_dir '"
            + file
            + "' is not a directory: use a directory, or a path that does not exist",
        "--node",
        "t1",
        "--data-dir",
        file.toString());
  }
}
