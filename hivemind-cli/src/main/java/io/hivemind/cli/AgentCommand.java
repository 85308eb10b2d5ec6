package io.hivemind.cli;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.server.agent.AclSettings;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.AgentSettingsSources;
import io.hivemind.server.agent.ConfigException;
import io.hivemind.server.agent.ControlSettings;
import io.hivemind.server.agent.DnsSettings;
import io.hivemind.server.agent.ExternalServicesYaml;
import io.hivemind.server.agent.Roles;
import io.hivemind.server.agent.Setting;
import io.hivemind.server.agent.StateSettings;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hivemind agent}: one agent, configured by a YAML file, {@code HIVEMIND_*} environment
 * variables and flags, in rising precedence. Runs until SIGTERM or SIGINT, which leave the cluster
 * gracefully before exiting.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an agent: joins the cluster through the seeds and serves the HTTP API.",
      "Settings come from --config FILE, then HIVEMIND_* environment variables, then flags;"
          + " flags win. SIGTERM leaves the cluster gracefully, then exits; so does"
          + " 'hivemind leave'."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:left the cluster (hivemind leave), or stopped by SIGTERM or SIGINT",
      "1:could not start: a port is in use, or a bind address is not on this host",
      "2:a mistake in the command line or the configuration, which is checked before anything"
          + " starts"
    })
final class AgentCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(AgentCommand.class);

  @Spec private CommandSpec spec;

  /** The root command, which runs the agent once picocli is done; null outside it (tests). */
  @ParentCommand private HivemindCommand parent;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
  private Path configFile;

  @Option(names = "--node", description = "Node name, unique in the cluster (default: host name).")
  private String nodeName;

  @Option(
      names = "--env",
      description = "production, staging, testing or development (default: development).")
  private String environment;

  @Option(names = "--instance", description = "0 or 1: which of the host's two agent port sets.")
  private Integer instance;

  @Option(names = "--cluster", description = "Cluster name (default: hivemind).")
  private String cluster;

  @Option(
      names = "--bind",
      paramLabel = "HOST[:PORT]",
      description = "Gossip bind address (default: 0.0.0.0 on the well-known port).")
  private String bind;

  @Option(
      names = "--advertise",
      paramLabel = "HOST[:PORT]",
      description = "Address the other nodes reach this one at.")
  private String advertise;

  @Option(
      names = "--http-bind",
      paramLabel = "HOST[:PORT]",
      description = "HTTP API bind address (default: 127.0.0.1 on the well-known port).")
  private String httpBind;

  @Option(
      names = "--seed",
      paramLabel = "HOST[:PORT]",
      description = "A node to join through; repeat for several.")
  private List<String> seeds;

  @Option(
      names = "--role",
      completionCandidates = KnownRoles.class,
      description = "A role to perform: ${COMPLETION-CANDIDATES}; repeat for several.")
  private List<String> roles;

  @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag; repeat for several.")
  private Map<String, String> tags;

  @Option(names = "--zone", description = "Failure zone (rack or availability zone).")
  private String zone;

  @Option(names = "--profile", description = "Membership timing: lan (default), wan or local.")
  private String profile;

  @Option(
      names = "--encrypt-key",
      paramLabel = "BASE64",
      description = "Gossip key (hivemind keygen); the first encrypts, all decrypt.")
  private List<String> encryptKeys;

  @Option(
      names = "--insecure-plaintext-gossip",
      description =
          "Run production or staging without a gossip key, in plaintext anyone on the network can"
              + " read and forge (refused without this flag).")
  private Boolean insecurePlaintextGossip;

  @Option(names = "--log-format", description = "text (default) or json.")
  private String logFormat;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where the node keeps durable state (default: ~/.hivemind/data/ENVIRONMENT/NODE).")
  private String dataDir;

  @Option(
      names = "--bootstrap-expect",
      paramLabel = "N",
      description =
          "Control nodes that form the Raft group: 3 or 5 (1: development only); 0 (default)"
              + " forms none. Needs --role control.")
  private Integer bootstrapExpect;

  @Option(
      names = "--join-token",
      paramLabel = "TOKEN",
      description =
          "The cluster's join token. Visible to every user of this host in ps: prefer"
              + " HIVEMIND_JOIN_TOKEN or --join-token-file.")
  private String joinToken;

  @Option(
      names = "--join-token-file",
      paramLabel = "FILE",
      description = "A file holding the join token.")
  private String joinTokenFile;

  @Option(
      names = "--require-role",
      paramLabel = "ROLE",
      completionCandidates = KnownRoles.class,
      description =
          "A role that must be present in the cluster before this node operates; repeat for"
              + " several.")
  private List<String> requireRoles;

  @Option(
      names = "--tls-ca-file",
      paramLabel = "FILE",
      description = "Cluster CA certificate (PEM) for mutual TLS; with the next two.")
  private String tlsCaFile;

  @Option(names = "--tls-cert-file", paramLabel = "FILE", description = "This node's certificate.")
  private String tlsCertFile;

  @Option(names = "--tls-key-file", paramLabel = "FILE", description = "This node's private key.")
  private String tlsKeyFile;

  @Option(
      names = "--control-bind",
      paramLabel = "HOST[:PORT]",
      description =
          "Raft bind address of a control node (default: 0.0.0.0 on the well-known port).")
  private String controlBind;

  @Option(
      names = "--control-gateway-bind",
      paramLabel = "HOST[:PORT]",
      description =
          "Control gateway bind address: joins and the follow feed (default: 0.0.0.0 on the"
              + " well-known port).")
  private String controlGatewayBind;

  @Option(
      names = "--acl-enabled",
      description = "Check tokens on every HTTP request (docs/acl.md).")
  private Boolean aclEnabled;

  @Option(
      names = "--acl-default-policy",
      paramLabel = "POLICY",
      description = "deny (default) or allow: what a request no token rule decides gets.")
  private String aclDefaultPolicy;

  @Option(
      names = "--acl-initial-management-token-file",
      paramLabel = "FILE",
      description =
          "A file holding the initial management token (or set"
              + " HIVEMIND_ACL_INITIAL_MANAGEMENT_TOKEN); the same on every agent.")
  private String aclInitialManagementTokenFile;

  @Option(
      names = "--acl-agent-token-file",
      paramLabel = "FILE",
      description =
          "A file holding this agent's own token (or set HIVEMIND_ACL_AGENT_TOKEN): presented for"
              + " the external services of its configuration.")
  private String aclAgentTokenFile;

  @Option(
      names = "--dns-port",
      paramLabel = "PORT",
      description = "DNS port, UDP and TCP (default: the environment's well-known DNS port).")
  private String dnsPort;

  @Option(names = "--dns-domain", description = "Domain DNS answers for (default: hivemind.).")
  private String dnsDomain;

  @Option(names = "--dns-ttl", description = "TTL of DNS answers, such as 5s (default: 5s).")
  private String dnsTtl;

  @Option(
      names = "--dns-recursor",
      paramLabel = "HOST[:PORT]",
      description = "Forward DNS names outside the domain to this IP[:PORT]; repeat for several.")
  private List<String> dnsRecursors;

  @Option(
      names = "--partition-backups",
      paramLabel = "N",
      description =
          "Backups of each partition, 0 to 3 (default: 1); read by control nodes when the cluster's"
              + " first partition table is planned, and the same on every control node.")
  private String partitionBackups;

  @Option(
      names = "--state-sync-backups",
      paramLabel = "N",
      description =
          "Backups that must hold a write before it is acknowledged, 0 to 3 (default: 1); 0 is"
              + " faster, but a crash may lose the last writes.")
  private String stateSyncBackups;

  @Override
  public Integer call() throws Exception {
    AgentConfig config;
    List<ControlCommand.CatalogRegister> services;
    try {
      config = config(System.getenv());
      // External services of the file (services:), registered through the log once joined.
      services =
          configFile == null ? List.of() : ExternalServicesYaml.read(configFile, config.cluster());
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("hivemind agent: " + e.getMessage());
      return HivemindCommand.USAGE_ERROR;
    }
    LogSetup.use(config.logFormat());
    if (joinToken != null) {
      log.warn(
          "the join token was given with --join-token, which every user of this host can read in"
              + " ps; use HIVEMIND_JOIN_TOKEN or --join-token-file");
    }
    PrintWriter err = spec.commandLine().getErr();
    Callable<Integer> run =
        () ->
            AgentRunner.runUntilSignalled(
                List.of(config), err, agent -> agent.registerExternalServices(services));
    if (parent == null) {
      return run.call();
    }
    // The agent runs for the life of the process: without picocli's model on the heap under it.
    parent.runAfterParsing(run);
    return 0;
  }

  /**
   * Merges file, environment and flags, in rising precedence. Each layer is checked on its own
   * first, so a sentence names the setting as it was written there; then the merged settings are
   * resolved, which checks the rules between settings.
   *
   * @throws ConfigException a sentence naming the setting, the value and what is accepted
   */
  AgentConfig config(Map<String, String> env) {
    AgentSettings file =
        configFile == null ? AgentSettings.NONE : AgentSettingsSources.fromYaml(configFile);
    AgentSettings flags =
        new AgentSettings(
            nodeName,
            environment,
            instance,
            cluster,
            bind,
            advertise,
            httpBind,
            seeds,
            roles,
            tags,
            zone,
            profile,
            encryptKeys,
            insecurePlaintextGossip,
            logFormat,
            new ControlSettings(
                dataDir,
                bootstrapExpect,
                joinToken,
                joinTokenFile,
                requireRoles,
                tlsCaFile,
                tlsCertFile,
                tlsKeyFile,
                controlBind,
                controlGatewayBind),
            new AclSettings(
                aclEnabled,
                aclDefaultPolicy,
                null,
                aclInitialManagementTokenFile,
                null,
                aclAgentTokenFile),
            new DnsSettings(dnsPort, dnsDomain, dnsTtl, dnsRecursors),
            new StateSettings(partitionBackups, stateSyncBackups));
    flags.checked(Setting::flag);
    AgentSettings merged = file.overlay(AgentSettingsSources.fromEnvironment(env)).overlay(flags);
    return AgentConfig.resolve(merged, hostName());
  }

  /** The known roles for {@code --help} and shell completion, from the one list of them. */
  static final class KnownRoles implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Roles.known().iterator();
    }
  }

  private static String hostName() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "hivemind";
    }
  }
}
