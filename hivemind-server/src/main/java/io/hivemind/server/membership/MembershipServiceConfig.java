package io.hivemind.server.membership;

import io.hivemind.api.Environment;
import io.hivemind.api.WellKnownPorts;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.core.membership.NodeIdentity;
import io.hivemind.server.transport.GossipKeyring;
import io.hivemind.server.transport.TransportConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Everything a {@link MembershipService} needs: who the node is, where it listens, the protocol
 * profile and the gossip key. Built with {@link #builder(String, Environment)}; immutable.
 */
public final class MembershipServiceConfig {

  /** The cluster name when none is given; one cluster per environment is the common case. */
  public static final String DEFAULT_CLUSTER = "hivemind";

  /** Binds every interface; the advertised address is then the first non-loopback one. */
  public static final String DEFAULT_BIND_HOST = "0.0.0.0";

  /**
   * How long {@link MembershipService#join(java.util.List)} waits for a seed: ten join attempts
   * with the default back-off would take minutes, but an operator wants to hear within seconds that
   * no seed answers (the node keeps retrying afterwards).
   */
  public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(10);

  private final String nodeName;
  private final Environment environment;
  private final String cluster;
  private final String bindHost;
  private final int bindPort;
  private final String advertiseHost;
  private final int advertisePort;
  private final Set<String> roles;
  private final Map<String, String> tags;
  private final String zone;
  private final MembershipConfig membership;
  private final GossipKeyring keyring;
  private final int maxStreamFrameBytes;
  private final Duration joinTimeout;
  private final LongSupplier clockMillis;
  private final HostResolver hostResolver;

  private MembershipServiceConfig(Builder b) {
    this.nodeName = b.nodeName;
    this.environment = b.environment;
    this.cluster = b.cluster;
    this.bindHost = b.bindHost;
    this.bindPort = b.bindPort;
    this.advertiseHost = b.advertiseHost;
    this.advertisePort = b.advertisePort;
    this.roles = b.roles;
    this.tags = b.tags;
    this.zone = b.zone;
    this.membership = b.membership;
    this.keyring = b.keyring;
    this.maxStreamFrameBytes = b.maxStreamFrameBytes;
    this.joinTimeout = b.joinTimeout;
    this.clockMillis = b.clockMillis;
    this.hostResolver = b.hostResolver;
  }

  /** A builder for node {@code nodeName} of {@code environment}, with every other default. */
  public static Builder builder(String nodeName, Environment environment) {
    return new Builder(nodeName, environment);
  }

  public String nodeName() {
    return nodeName;
  }

  public Environment environment() {
    return environment;
  }

  public String cluster() {
    return cluster;
  }

  public String bindHost() {
    return bindHost;
  }

  public int bindPort() {
    return bindPort;
  }

  /** The host others should use; empty to derive it from the bind host. */
  public Optional<String> advertiseHost() {
    return Optional.ofNullable(advertiseHost);
  }

  /** The port others should use; 0 for the bound port. */
  public int advertisePort() {
    return advertisePort;
  }

  public Set<String> roles() {
    return roles;
  }

  public Map<String, String> tags() {
    return tags;
  }

  public String zone() {
    return zone;
  }

  public MembershipConfig membership() {
    return membership;
  }

  /** The gossip keyring; empty means gossip travels in plaintext. */
  public Optional<GossipKeyring> keyring() {
    return Optional.ofNullable(keyring);
  }

  public int maxStreamFrameBytes() {
    return maxStreamFrameBytes;
  }

  public Duration joinTimeout() {
    return joinTimeout;
  }

  /** The clock the node runs on, in milliseconds. */
  public LongSupplier clockMillis() {
    return clockMillis;
  }

  /** Looks up seeds given by host name, off the node's loop. */
  public HostResolver hostResolver() {
    return hostResolver;
  }

  /** The node's identity once its advertised address is known. */
  NodeIdentity identity(Address advertised) {
    return new NodeIdentity(nodeName, advertised, cluster, environment, roles, tags, zone);
  }

  /**
   * The transport's limits. Streams time out, at connect and between reads, after the core's own
   * stream timeout: waiting longer is useless, as the core has given up by then. Datagrams up to
   * this node's own packet size (sealed) are accepted even if a profile raises it past the default.
   */
  TransportConfig transport() {
    int ownLargestDatagram = membership.maxPacketSize() + GossipKeyring.OVERHEAD_BYTES;
    return TransportConfig.of(bindHost, bindPort)
        .withMaxFrameBytes(maxStreamFrameBytes)
        .withMaxDatagramBytes(
            Math.max(TransportConfig.DEFAULT_MAX_DATAGRAM_BYTES, ownLargestDatagram))
        .withTimeouts(membership.streamTimeout(), membership.streamTimeout());
  }

  /** Builds a {@link MembershipServiceConfig}. */
  public static final class Builder {
    private final String nodeName;
    private final Environment environment;
    private String cluster = DEFAULT_CLUSTER;
    private String bindHost = DEFAULT_BIND_HOST;
    private int bindPort;
    private String advertiseHost;
    private int advertisePort;
    private Set<String> roles = Set.of();
    private Map<String, String> tags = Map.of();
    private String zone = "";
    private MembershipConfig membership = MembershipConfig.lan();
    private GossipKeyring keyring;
    private int maxStreamFrameBytes = TransportConfig.DEFAULT_MAX_FRAME_BYTES;
    private Duration joinTimeout = DEFAULT_JOIN_TIMEOUT;
    private LongSupplier clockMillis = MonotonicClock.startingNow();
    private HostResolver hostResolver = HostResolver.system();

    private Builder(String nodeName, Environment environment) {
      this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
      this.environment = Objects.requireNonNull(environment, "environment");
      this.bindPort = WellKnownPorts.of(environment).gossip();
    }

    public Builder cluster(String value) {
      cluster = Objects.requireNonNull(value, "cluster");
      return this;
    }

    public Builder bindHost(String value) {
      bindHost = requireHost("bindHost", value);
      return this;
    }

    /** The gossip port; 0 picks a free one. Defaults to the environment's well-known port. */
    public Builder bindPort(int value) {
      bindPort = requirePort("bindPort", value);
      return this;
    }

    public Builder advertiseHost(String value) {
      advertiseHost = requireHost("advertiseHost", value);
      return this;
    }

    /** The port others should use, when a NAT or container maps it; 0 for the bound port. */
    public Builder advertisePort(int value) {
      advertisePort = requirePort("advertisePort", value);
      return this;
    }

    public Builder roles(Set<String> value) {
      roles = Set.copyOf(value);
      return this;
    }

    public Builder tags(Map<String, String> value) {
      tags = Map.copyOf(value);
      return this;
    }

    public Builder zone(String value) {
      zone = Objects.requireNonNull(value, "zone");
      return this;
    }

    /** The protocol profile: {@link MembershipConfig#lan()} unless set. */
    public Builder membership(MembershipConfig value) {
      membership = Objects.requireNonNull(value, "membership");
      return this;
    }

    /** Seals gossip with {@code value}; null (the default) leaves it in plaintext. */
    public Builder keyring(GossipKeyring value) {
      keyring = value;
      return this;
    }

    public Builder maxStreamFrameBytes(int value) {
      if (value < 1024) {
        throw new IllegalArgumentException(
            "maxStreamFrameBytes must be at least 1024, got " + value);
      }
      maxStreamFrameBytes = value;
      return this;
    }

    public Builder joinTimeout(Duration value) {
      Objects.requireNonNull(value, "joinTimeout");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("joinTimeout must be positive, got " + value);
      }
      joinTimeout = value;
      return this;
    }

    /** The node's clock in milliseconds; tests may inject one. Must never go backwards. */
    public Builder clockMillis(LongSupplier value) {
      clockMillis = Objects.requireNonNull(value, "clockMillis");
      return this;
    }

    /**
     * How seed host names are looked up (on the service's resolver thread, never the loop): the
     * JDK's resolver unless set; tests inject one that needs no DNS.
     */
    public Builder hostResolver(HostResolver value) {
      hostResolver = Objects.requireNonNull(value, "hostResolver");
      return this;
    }

    /**
     * Checks the node's identity (name, cluster name and metadata sizes) and returns the
     * configuration.
     *
     * @throws IllegalArgumentException naming the offending value
     */
    public MembershipServiceConfig build() {
      // The same checks the node will make, now, with a placeholder for the address not yet bound.
      new NodeIdentity(
          nodeName, new Address("0.0.0.0", 0), cluster, environment, roles, tags, zone);
      return new MembershipServiceConfig(this);
    }

    private static String requireHost(String name, String value) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value.trim();
    }

    private static int requirePort(String name, int value) {
      if (value < 0 || value > 65_535) {
        throw new IllegalArgumentException(name + " out of range 0..65535: " + value);
      }
      return value;
    }
  }
}
