package io.hivemind.server.agent;

import io.hivemind.api.Environment;
import io.hivemind.api.WellKnownPorts;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.MembershipConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything an agent needs to start, every default filled in. Built by {@link #resolve} from the
 * layered {@link AgentSettings}; the defaults are chosen so that an agent started with no
 * configuration at all joins nothing, serves the development environment on its well-known ports
 * and says so.
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
 * @param logFormat text or json
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
    LogFormat logFormat) {

  /** Cluster name when none is configured. */
  public static final String DEFAULT_CLUSTER = "hivemind";

  /**
   * Gossip binds every interface by default: other machines must reach it. The advertised address
   * is then the first site-local address (see {@link AdvertiseAddress}).
   */
  public static final String DEFAULT_GOSSIP_HOST = "0.0.0.0";

  /**
   * The HTTP API binds loopback by default, as Consul's {@code client_addr}: its writes (join,
   * leave) must not be open to the network until API tokens exist.
   */
  public static final String DEFAULT_HTTP_HOST = "127.0.0.1";

  /** Roles of a plain agent: everything but {@code control}, which needs a quorum plan. */
  public static final Set<String> DEFAULT_ROLES = Set.of("catalog", "dns", "host");

  /** How the agent writes its log. */
  public enum LogFormat {
    /** Readable lines. */
    TEXT,
    /** One JSON object per line, for log shippers. */
    JSON;

    static LogFormat parse(String value) {
      for (LogFormat format : values()) {
        if (format.name().equalsIgnoreCase(value.trim())) {
          return format;
        }
      }
      throw new ConfigException("log_format must be text or json, got '" + value + "'");
    }
  }

  public AgentConfig {
    seeds = List.copyOf(seeds);
    roles = Set.copyOf(roles);
    tags = Map.copyOf(tags);
    encryptKeys = List.copyOf(encryptKeys);
  }

  /** The well-known ports of this agent's environment and instance. */
  public WellKnownPorts ports() {
    return new WellKnownPorts(environment, instance);
  }

  /**
   * Fills in every default.
   *
   * @param defaultNodeName the name when none is set (the host name, for an agent)
   * @throws ConfigException naming the setting and its bad value
   */
  public static AgentConfig resolve(AgentSettings settings, String defaultNodeName) {
    Environment environment = environment(settings.environment());
    int instance = settings.instance() == null ? 0 : settings.instance();
    if (instance < 0 || instance >= WellKnownPorts.INSTANCES) {
      throw new ConfigException("instance must be 0 or 1, got " + instance);
    }
    WellKnownPorts ports = new WellKnownPorts(environment, instance);
    String nodeName =
        settings.nodeName() != null
            ? settings.nodeName()
            : instance == 0 ? defaultNodeName : defaultNodeName + "-" + instance;
    Address gossipBind =
        HostPort.parse(
            settings.bind() == null ? DEFAULT_GOSSIP_HOST : settings.bind(),
            ports.gossip(),
            "bind");
    Address advertise =
        settings.advertise() == null
            ? null
            : HostPort.parse(settings.advertise(), gossipBind.port(), "advertise");
    Address httpBind =
        HostPort.parse(
            settings.httpBind() == null ? DEFAULT_HTTP_HOST : settings.httpBind(),
            ports.http(),
            "http_bind");
    int seedPort = WellKnownPorts.of(environment).gossip();
    List<Address> seeds =
        settings.seeds() == null
            ? List.of()
            : settings.seeds().stream().map(s -> HostPort.parse(s, seedPort, "seed")).toList();
    String profile = settings.profile() == null ? "lan" : settings.profile();
    MembershipConfig membership;
    try {
      membership = MembershipConfig.profile(profile);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("profile: " + e.getMessage());
    }
    return new AgentConfig(
        nodeName,
        environment,
        instance,
        settings.cluster() == null ? DEFAULT_CLUSTER : settings.cluster(),
        gossipBind,
        advertise,
        httpBind,
        seeds,
        settings.roles() == null ? DEFAULT_ROLES : Set.copyOf(settings.roles()),
        settings.tags() == null ? Map.of() : settings.tags(),
        settings.zone() == null ? "" : settings.zone(),
        profile,
        membership,
        settings.encryptKeys() == null ? List.of() : settings.encryptKeys(),
        settings.logFormat() == null ? LogFormat.TEXT : LogFormat.parse(settings.logFormat()));
  }

  private static Environment environment(String value) {
    if (value == null) {
      return Environment.DEVELOPMENT;
    }
    try {
      return Environment.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
