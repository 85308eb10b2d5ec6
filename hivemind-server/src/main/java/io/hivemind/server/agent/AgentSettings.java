package io.hivemind.server.agent;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One layer of agent settings: the YAML file, the environment variables or the command-line flags.
 * A null component means "not set in this layer"; {@link #overlay} puts a higher layer on top and
 * {@link AgentConfig#resolve} fills what no layer set with the defaults.
 *
 * <p>YAML keys, variables and flags of each component are listed by {@link Setting}. Each layer is
 * {@linkplain #checked checked} on its own, so that a sentence names the setting the way that layer
 * spells it ({@code --node}, {@code HIVEMIND_NODE_NAME}, {@code node_name}).
 *
 * @param nodeName unique name of this node in the cluster; default the host name
 * @param environment production, staging, testing or development
 * @param instance which of the two agents of this host and environment (0 or 1); picks the ports
 * @param cluster cluster name; nodes of another cluster are refused
 * @param bind gossip bind address, {@code host} or {@code host:port}
 * @param advertise address other nodes reach this one at, {@code host} or {@code host:port}
 * @param httpBind HTTP API bind address, {@code host} or {@code host:port}
 * @param seeds addresses to join through, {@code host} or {@code host:port}
 * @param roles roles this node performs (see {@link Roles#known})
 * @param tags free-form metadata
 * @param zone failure zone (rack, availability zone)
 * @param profile membership timing profile: lan, wan or local
 * @param encryptKeys base64 AES-256 keys; the first encrypts, all decrypt
 * @param insecurePlaintextGossip true to run production or staging without a gossip key
 * @param logFormat text or json
 * @param control the control plane's settings (data directory, bootstrap, join token, TLS, ports)
 * @param acl the HTTP API's ACL settings (docs/acl.md)
 * @param dns the DNS interface's settings (port, domain, TTL, recursors)
 * @param state the partitioned store's settings (partition backups, synchronous backups)
 */
public record AgentSettings(
    String nodeName,
    String environment,
    Integer instance,
    String cluster,
    String bind,
    String advertise,
    String httpBind,
    List<String> seeds,
    List<String> roles,
    Map<String, String> tags,
    String zone,
    String profile,
    List<String> encryptKeys,
    Boolean insecurePlaintextGossip,
    String logFormat,
    ControlSettings control,
    AclSettings acl,
    DnsSettings dns,
    StateSettings state) {

  /** A layer that sets nothing. */
  public static final AgentSettings NONE =
      new AgentSettings(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null);

  public AgentSettings {
    control = control == null ? ControlSettings.NONE : control;
    acl = acl == null ? AclSettings.NONE : acl;
    dns = dns == null ? DnsSettings.NONE : dns;
    state = state == null ? StateSettings.NONE : state;
  }

  /** A layer that sets none of the partitioned store's settings: the shape before them. */
  // Justification: one parameter per setting, as the canonical constructor.
  public AgentSettings(
      String nodeName,
      String environment,
      Integer instance,
      String cluster,
      String bind,
      String advertise,
      String httpBind,
      List<String> seeds,
      List<String> roles,
      Map<String, String> tags,
      String zone,
      String profile,
      List<String> encryptKeys,
      Boolean insecurePlaintextGossip,
      String logFormat,
      ControlSettings control,
      AclSettings acl,
      DnsSettings dns) {
    this(
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
        control,
        acl,
        dns,
        StateSettings.NONE);
  }

  /** A layer that sets none of the ACL or DNS settings: the shape before them. */
  // Justification: one parameter per setting, as the canonical constructor.
  public AgentSettings(
      String nodeName,
      String environment,
      Integer instance,
      String cluster,
      String bind,
      String advertise,
      String httpBind,
      List<String> seeds,
      List<String> roles,
      Map<String, String> tags,
      String zone,
      String profile,
      List<String> encryptKeys,
      Boolean insecurePlaintextGossip,
      String logFormat,
      ControlSettings control) {
    this(
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
        control,
        AclSettings.NONE,
        DnsSettings.NONE);
  }

  /**
   * A layer that sets none of the control plane's settings: the shape before issue 10, which the
   * tests and launchers that configure gossip alone keep using.
   */
  // Justification: one parameter per setting, as the canonical constructor.
  public AgentSettings(
      String nodeName,
      String environment,
      Integer instance,
      String cluster,
      String bind,
      String advertise,
      String httpBind,
      List<String> seeds,
      List<String> roles,
      Map<String, String> tags,
      String zone,
      String profile,
      List<String> encryptKeys,
      Boolean insecurePlaintextGossip,
      String logFormat) {
    this(
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
        ControlSettings.NONE);
  }

  /** These settings with {@code control} in place of their control plane's settings. */
  public AgentSettings withControl(ControlSettings control) {
    return new AgentSettings(
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
        control,
        acl,
        dns,
        state);
  }

  /** These settings with {@code acl} in place of their ACL settings. */
  public AgentSettings withAcl(AclSettings acl) {
    return new AgentSettings(
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
        control,
        acl,
        dns,
        state);
  }

  /** These settings with {@code dns} in place of their DNS settings. */
  public AgentSettings withDns(DnsSettings dns) {
    return new AgentSettings(
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
        control,
        acl,
        dns,
        state);
  }

  /** These settings with {@code state} in place of their partitioned store's settings. */
  public AgentSettings withState(StateSettings state) {
    return new AgentSettings(
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
        control,
        acl,
        dns,
        state);
  }

  /** These settings with every component {@code higher} sets taking its place. */
  public AgentSettings overlay(AgentSettings higher) {
    return new AgentSettings(
        pick(higher.nodeName, nodeName),
        pick(higher.environment, environment),
        pick(higher.instance, instance),
        pick(higher.cluster, cluster),
        pick(higher.bind, bind),
        pick(higher.advertise, advertise),
        pick(higher.httpBind, httpBind),
        pick(higher.seeds, seeds),
        pick(higher.roles, roles),
        pick(higher.tags, tags),
        pick(higher.zone, zone),
        pick(higher.profile, profile),
        pick(higher.encryptKeys, encryptKeys),
        pick(higher.insecurePlaintextGossip, insecurePlaintextGossip),
        pick(higher.logFormat, logFormat),
        control.overlay(higher.control),
        acl.overlay(higher.acl),
        dns.overlay(higher.dns),
        state.overlay(higher.state));
  }

  /**
   * Checks every setting this layer sets, on its own (rules that tie settings together wait for
   * {@link AgentConfig#resolve}), and returns this layer.
   *
   * @param names how this layer spells a setting: {@link Setting#flag}, {@link Setting#variable},
   *     or the file and {@link Setting#yamlKey}
   * @throws ConfigException a sentence naming the setting, the value and what is accepted
   */
  public AgentSettings checked(Function<Setting, String> names) {
    SettingRules.check(this, names);
    return this;
  }

  private static <T> T pick(T higher, T lower) {
    return higher != null ? higher : lower;
  }
}
