package io.hivemind.server.agent;

import io.hivemind.api.Environment;
import io.hivemind.api.WellKnownPorts;
import io.hivemind.core.acl.AclPolicy;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.core.membership.NodeIdentity;
import io.hivemind.core.state.StateConfig;
import io.hivemind.server.http.AclConfig;
import io.hivemind.server.role.ControlConfig;
import io.hivemind.server.role.DnsConfig;
import io.hivemind.server.role.NodeConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Everything an agent needs to start, every default filled in and every rule checked. Built by
 * {@link #resolve} from the layered {@link AgentSettings}; the defaults are chosen so that an agent
 * started with no configuration at all joins nothing, serves the development environment on its
 * well-known ports and says so. A resolved configuration starts, or fails only on what the host
 * decides (a port in use): nothing in it is refused later by the layers it configures.
 *
 * @param nodeName unique name in the cluster
 * @param environment the environment served; picks the ports and refuses other environments
 * @param instance 0 or 1, the agent's slot on this host
 * @param cluster cluster name
 * @param gossipBind where gossip listens (UDP and TCP on one port)
 * @param advertise address the other nodes reach this one at; null: derive it from the bind address
 * @param httpBind where the HTTP API listens
 * @param seeds addresses to join through; empty: start a cluster of one
 * @param roles roles performed
 * @param tags free-form metadata
 * @param zone failure zone
 * @param profileName lan, wan or local
 * @param membership the membership timing of that profile
 * @param encryptKeys base64 AES-256 gossip keys, the primary first; empty: gossip in plaintext
 * @param insecurePlaintextGossip the operator accepted plaintext gossip in production or staging
 * @param logFormat text or json
 * @param dataDir where the node keeps durable state (it may not exist yet)
 * @param control the control plane's settings; the join token in it is never logged
 * @param acl the HTTP API's ACL settings; the initial management token in it is never logged
 * @param dns the DNS interface's settings
 * @param state the partitioned store's configuration ({@code state_sync_backups}); the first
 *     partition table's backups ({@code partition_backups}) are the control plane's, in {@code
 *     control}
 */
public record AgentConfig(
    String nodeName,
    Environment environment,
    int instance,
    String cluster,
    Address gossipBind,
    Address advertise,
    Address httpBind,
    List<Address> seeds,
    Set<String> roles,
    Map<String, String> tags,
    String zone,
    String profileName,
    MembershipConfig membership,
    List<String> encryptKeys,
    boolean insecurePlaintextGossip,
    LogFormat logFormat,
    Path dataDir,
    ControlConfig control,
    AclConfig acl,
    DnsConfig dns,
    StateConfig state) {

  /** Cluster name when none is configured. */
  public static final String DEFAULT_CLUSTER = "hivemind";

  /**
   * Gossip binds every interface by default: other machines must reach it. The advertised address
   * is then chosen by the membership service (its {@code AdvertiseAddress}).
   */
  public static final String DEFAULT_GOSSIP_HOST = "0.0.0.0";

  /**
   * The HTTP API binds loopback by default, as Consul's {@code client_addr}: without ACLs its
   * writes are open to whoever reaches it. With ACLs enabled (docs/acl.md) it may bind wider,
   * without the warning; that stays the operator's choice.
   */
  public static final String DEFAULT_HTTP_HOST = "127.0.0.1";

  /** Profile when none is configured: a data-centre network. */
  public static final String DEFAULT_PROFILE = "lan";

  /**
   * Environments where gossip must be encrypted unless the operator says otherwise in so many words
   * ({@code insecure_plaintext_gossip}): plaintext gossip can be read and forged by anyone on the
   * network. Development and testing keep plaintext, with the transport's warning.
   */
  public static final Set<Environment> KEY_REQUIRED =
      Set.of(Environment.PRODUCTION, Environment.STAGING);

  /** How the agent writes its log. */
  public enum LogFormat {
    /** Readable lines. */
    TEXT,
    /** One JSON object per line, for log shippers. */
    JSON
  }

  public AgentConfig {
    seeds = List.copyOf(seeds);
    roles = Set.copyOf(roles);
    tags = Map.copyOf(tags);
    encryptKeys = List.copyOf(encryptKeys);
    acl = acl == null ? AclConfig.DISABLED : acl;
    if (dns == null) {
      dns = DnsConfig.defaults(new Address(httpBind.host(), ports(environment, instance).dns()));
    }
    state = state == null ? StateConfig.defaults() : state;
  }

  /**
   * A configuration with ACLs off, the DNS defaults and the store's defaults: the shape before
   * them.
   *
   * <p>The DNS interface listens where the HTTP API does, on the environment's well-known port.
   */
  // Justification: one parameter per component, as the canonical constructor.
  public AgentConfig(
      String nodeName,
      Environment environment,
      int instance,
      String cluster,
      Address gossipBind,
      Address advertise,
      Address httpBind,
      List<Address> seeds,
      Set<String> roles,
      Map<String, String> tags,
      String zone,
      String profileName,
      MembershipConfig membership,
      List<String> encryptKeys,
      boolean insecurePlaintextGossip,
      LogFormat logFormat,
      Path dataDir,
      ControlConfig control) {
    this(
        nodeName,
        environment,
        instance,
        cluster,
        gossipBind,
        advertise,
        httpBind,
        seeds,
        roles,
        tags,
        zone,
        profileName,
        membership,
        encryptKeys,
        insecurePlaintextGossip,
        logFormat,
        dataDir,
        control,
        null,
        null,
        null);
  }

  private static WellKnownPorts ports(Environment environment, int instance) {
    return new WellKnownPorts(environment, instance);
  }

  /** The well-known ports of this agent's environment and instance. */
  public WellKnownPorts ports() {
    return new WellKnownPorts(environment, instance);
  }

  /**
   * Where the partitioned state's node-to-node listener binds (issue 13): gossip's host, on the
   * environment's well-known state port ({@link WellKnownPorts#state()}) when gossip is on its
   * well-known port, else on a port the system picks. Peers never derive the port: they dial what
   * the agent announces in its {@code state.address} gossip tag, so an agent whose gossip was moved
   * off its port (several agents on one host: {@code hivemind dev}, tests) needs no setting for it.
   */
  public Address stateBind() {
    int port = gossipBind.port() == ports().gossip() ? ports().state() : 0;
    return new Address(gossipBind.host(), port);
  }

  /**
   * Where the partitioned state's client listener binds ({@code state_client.proto}): as {@link
   * #stateBind}, gossip's host on the environment's well-known state client port ({@link
   * WellKnownPorts#stateClient()}) when gossip is on its well-known port, else a port the system
   * picks. Clients find it in the {@code state.client} gossip tag ({@code /v1/partitions/owners}).
   */
  public Address stateClientBind() {
    int port = gossipBind.port() == ports().gossip() ? ports().stateClient() : 0;
    return new Address(gossipBind.host(), port);
  }

  /** The part of this configuration the roles see (they may not import this package). */
  public NodeConfig nodeConfig() {
    return new NodeConfig(
        nodeName, environment, instance, cluster, roles, zone, dataDir, control, dns);
  }

  /**
   * Fills in every default and checks every rule, as {@link #resolve(AgentSettings, String, Path)},
   * with the home of the user running the agent ({@code user.home}).
   */
  public static AgentConfig resolve(AgentSettings settings, String defaultNodeName) {
    return resolve(settings, defaultNodeName, Path.of(System.getProperty("user.home")));
  }

  /**
   * Fills in every default and checks every rule, single settings and those that tie settings
   * together, before anything binds a port. Files the settings name (join token, TLS) are read or
   * checked now, so that a missing one stops the agent before it starts.
   *
   * @param defaultNodeName the name when none is set (the host name, for an agent)
   * @param home the user's home: the default data directory is under it, and {@code ~} in a path
   * @throws ConfigException a sentence naming the setting, its bad value and what is accepted
   */
  public static AgentConfig resolve(AgentSettings settings, String defaultNodeName, Path home) {
    Environment environment =
        rule(
            settings.environment(),
            Environment.DEVELOPMENT,
            SettingRules::environment,
            Setting.ENVIRONMENT);
    int instance = rule(settings.instance(), 0, SettingRules::instance, Setting.INSTANCE);
    WellKnownPorts ports = new WellKnownPorts(environment, instance);
    Address gossipBind =
        address(settings.bind(), DEFAULT_GOSSIP_HOST, ports.gossip(), Setting.BIND);
    Address httpBind =
        address(settings.httpBind(), DEFAULT_HTTP_HOST, ports.http(), Setting.HTTP_BIND);
    List<String> keys =
        rule(settings.encryptKeys(), List.of(), SettingRules::encryptKeys, Setting.ENCRYPT_KEYS);
    boolean insecure = Boolean.TRUE.equals(settings.insecurePlaintextGossip());
    requireKeyWhereNeeded(environment, keys, insecure);
    int seedPort = WellKnownPorts.of(environment).gossip();
    String profile = settings.profile() == null ? DEFAULT_PROFILE : settings.profile();
    String nodeName = nodeName(settings, defaultNodeName, instance);
    Set<String> roles = rule(settings.roles(), Roles.DEFAULT, SettingRules::roles, Setting.ROLES);
    ControlConfig control =
        ControlRules.control(settings.control(), environment, roles, ports, home)
            .withPartitionBackups(StateRules.partitionBackups(settings.state()));
    requireSeparatePorts(listeners(gossipBind, httpBind, roles, control));
    AgentConfig config =
        new AgentConfig(
            nodeName,
            environment,
            instance,
            rule(settings.cluster(), DEFAULT_CLUSTER, SettingRules.CLUSTER::check, Setting.CLUSTER),
            gossipBind,
            rule(
                settings.advertise(),
                null,
                (a, name) -> SettingRules.advertise(a, gossipBind.port(), name),
                Setting.ADVERTISE),
            httpBind,
            rule(
                settings.seeds(),
                List.of(),
                (s, name) -> SettingRules.seeds(s, seedPort, name),
                Setting.SEEDS),
            roles,
            rule(settings.tags(), Map.of(), SettingRules::tags, Setting.TAGS),
            rule(settings.zone(), "", SettingRules.ZONE::check, Setting.ZONE),
            profile.trim().toLowerCase(Locale.ROOT),
            SettingRules.profile(profile, Setting.PROFILE.yamlKey()),
            keys,
            insecure,
            rule(settings.logFormat(), LogFormat.TEXT, SettingRules::logFormat, Setting.LOG_FORMAT),
            ControlRules.dataDir(settings.control().dataDir(), home, environment, nodeName),
            control,
            AclRules.acl(settings.acl(), home),
            DnsRules.dns(settings.dns(), httpBind.host(), ports.dns()),
            StateRules.state(settings.state()));
    config.requireMetadataFits();
    return config;
  }

  /** {@code fallback} when {@code value} is not set, else {@code value} through its rule. */
  private static <T, R> R rule(
      T value, R fallback, BiFunction<T, String, R> rule, Setting setting) {
    return value == null ? fallback : rule.apply(value, setting.yamlKey());
  }

  /**
   * What an operator must hear before this agent starts, one sentence each: choices that are
   * allowed but unsafe. The launcher logs them at WARN.
   */
  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    if (!isLoopback(httpBind.host()) && !acl.enabled()) {
      warnings.add(
          "INSECURE: the HTTP API listens on "
              + httpBind
              + ", not on loopback, and ACLs are disabled: anyone who can reach that port can"
              + " register services, write KV entries and make this agent join or leave a cluster;"
              + " enable ACLs (acl_enabled, docs/acl.md) or keep http_bind on 127.0.0.1 unless a"
              + " firewall keeps everyone else out");
    }
    if (acl.enabled() && acl.defaultPolicy() == AclPolicy.ALLOW) {
      warnings.add(
          "acl_default_policy is allow: a request without a token may read and write everything"
              + " no token's rule denies; use deny once every client sends a token");
    }
    if (insecurePlaintextGossip && encryptKeys.isEmpty() && KEY_REQUIRED.contains(environment)) {
      warnings.add(
          "INSECURE: gossip in "
              + environment.id()
              + " is not encrypted (insecure_plaintext_gossip is set): anyone on the network can"
              + " read it and forge members; make a key with `hivemind keygen`, give it to every"
              + " agent (encrypt_keys) and drop insecure_plaintext_gossip");
    }
    if (roles.contains(Roles.CONTROL)
        && !control.hasTls()
        && !(isLoopback(control.raftBind().host()) && isLoopback(control.gatewayBind().host()))) {
      warnings.add(
          "INSECURE: this control node's Raft port ("
              + control.raftBind()
              + ") and gateway ("
              + control.gatewayBind()
              + ") are served without mutual TLS: anyone who can reach them can submit control"
              + " commands (admissions, removals, KV writes, ACL tokens) and read the committed log;"
              + " give every agent a certificate from the cluster CA (tls_ca_file, tls_cert_file,"
              + " tls_key_file; `hivemind tls`), or bind both to an address only the cluster's"
              + " nodes reach");
    }
    if (insecurePlaintextGossip && !encryptKeys.isEmpty()) {
      warnings.add(
          "insecure_plaintext_gossip is set but has no effect: gossip is encrypted with the"
              + " configured encrypt_keys");
    }
    return warnings;
  }

  private static Address address(
      String value, String defaultHost, int defaultPort, Setting setting) {
    return HostPort.parse(value == null ? defaultHost : value, defaultPort, setting.yamlKey());
  }

  private static String nodeName(AgentSettings settings, String defaultNodeName, int instance) {
    if (settings.nodeName() != null) {
      return SettingRules.NODE_NAME.check(settings.nodeName(), Setting.NODE_NAME.yamlKey());
    }
    String name = instance == 0 ? defaultNodeName : defaultNodeName + "-" + instance;
    try {
      return SettingRules.NODE_NAME.check(name, "the default node name (the host name)");
    } catch (ConfigException e) {
      throw new ConfigException(
          e.getMessage() + "; set a name with " + Setting.NODE_NAME.everySpelling());
    }
  }

  private static void requireKeyWhereNeeded(
      Environment environment, List<String> keys, boolean insecure) {
    if (keys.isEmpty() && !insecure && KEY_REQUIRED.contains(environment)) {
      throw new ConfigException(
          "environment "
              + environment.id()
              + " needs a gossip key, and none is set: without one, anyone on the network can read"
              + " gossip and forge members. Make a key with `hivemind keygen` and give the same key"
              + " to every agent ("
              + Setting.ENCRYPT_KEYS.everySpelling()
              + "); or, to run without encryption anyway, set "
              + Setting.INSECURE_PLAINTEXT_GOSSIP.yamlKey()
              + ": true ("
              + Setting.INSECURE_PLAINTEXT_GOSSIP.variable()
              + "=true or "
              + Setting.INSECURE_PLAINTEXT_GOSSIP.flag()
              + ")");
    }
  }

  /**
   * The TCP listeners this node opens, by setting: gossip's stream listener, the HTTP API, and on a
   * control node the Raft server and the control gateway.
   */
  private static Map<Setting, Address> listeners(
      Address gossip, Address http, Set<String> roles, ControlConfig control) {
    Map<Setting, Address> listeners = new LinkedHashMap<>();
    listeners.put(Setting.BIND, gossip);
    listeners.put(Setting.HTTP_BIND, http);
    if (roles.contains(Roles.CONTROL)) {
      listeners.put(Setting.CONTROL_BIND, control.raftBind());
      listeners.put(Setting.CONTROL_GATEWAY_BIND, control.gatewayBind());
    }
    return listeners;
  }

  /** Two TCP listeners cannot share a port on overlapping addresses. */
  private static void requireSeparatePorts(Map<Setting, Address> listeners) {
    List<Map.Entry<Setting, Address>> entries = List.copyOf(listeners.entrySet());
    for (int i = 0; i < entries.size(); i++) {
      for (int j = i + 1; j < entries.size(); j++) {
        requireSeparatePorts(entries.get(i), entries.get(j));
      }
    }
  }

  private static void requireSeparatePorts(
      Map.Entry<Setting, Address> first, Map.Entry<Setting, Address> second) {
    Address a = first.getValue();
    Address b = second.getValue();
    boolean overlap =
        a.host().equals(b.host()) || HostPort.isWildcard(a.host()) || HostPort.isWildcard(b.host());
    if (a.port() != 0 && a.port() == b.port() && overlap) {
      throw new ConfigException(
          second.getKey().yamlKey()
              + " '"
              + b
              + "' and "
              + first.getKey().yamlKey()
              + " '"
              + a
              + "' both take TCP port "
              + a.port()
              + ": give "
              + second.getKey().yamlKey()
              + " another port, or leave its port unset for the environment's");
    }
  }

  /** The membership core's own checks on the identity, so none can fail after a port is bound. */
  private void requireMetadataFits() {
    try {
      new NodeIdentity(
          nodeName, new Address("0.0.0.0", 0), cluster, environment, roles, tags, zone);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("tags: " + e.getMessage() + ": use fewer or shorter tags");
    }
  }

  /**
   * True for a loopback literal or {@code localhost}. A host name is not looked up (resolution may
   * block or change later), so any other name counts as reachable from the network.
   */
  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    boolean literal =
        host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    if (!literal) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
