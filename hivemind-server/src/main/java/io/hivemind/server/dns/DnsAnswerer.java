package io.hivemind.server.dns;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Question in, answer records and rcode out (docs/dns.md): no sockets, so every rule is unit-tested
 * on plain values. Reads {@link DnsSources}' snapshots once per question; the only state it keeps
 * is a cache of each instance's target for the current snapshot. Owning thread: the DNS event loop
 * (in tests, the test's).
 *
 * <p>Services answer with their passing instances only, shuffled by weight on every question
 * ({@link WeightedShuffle}); a critical or warning instance leaves the answers as soon as the
 * replica's snapshot says so. Negative answers carry the domain's SOA in the authority section,
 * whose minimum is the TTL (RFC 2308 3, 5).
 */
final class DnsAnswerer {

  /** SRV priority of every instance: all equal, the weight alone spreads the load. */
  static final int SRV_PRIORITY = 1;

  /**
   * The SOA's timers (RFC 1035 3.3.13): no secondary ever transfers this zone, so they are nominal.
   */
  private static final int SOA_REFRESH = 3600;

  private static final int SOA_RETRY = 600;
  private static final int SOA_EXPIRE = 86_400;

  private final String domain;
  private final long ttlSeconds;
  private final Environment environment;
  private final DnsSources sources;
  private final RandomGenerator random;

  /**
   * Each addressed instance's target, worked out once per catalogue snapshot (parsing its address
   * and naming it cost more than the rest of an answer): instances are immutable, so a snapshot's
   * are the keys, and a new snapshot starts a new map.
   */
  private CatalogView cachedView;

  private Map<ServiceInstance, Optional<Target>> targetCache = new IdentityHashMap<>();

  /**
   * @param domain lower case, ending with a dot
   * @param environment the agent's: names of another one are refused
   * @param random the shuffle's source (seeded in tests)
   */
  DnsAnswerer(
      String domain,
      long ttlSeconds,
      Environment environment,
      DnsSources sources,
      RandomGenerator random) {
    this.domain = domain;
    this.ttlSeconds = ttlSeconds;
    this.environment = environment;
    this.sources = sources;
    this.random = random;
  }

  /** True when {@code name} is neither under the domain nor a reverse name: a recursor's. */
  boolean isOutside(String name) {
    return QueryName.parse(name, domain, environment) instanceof QueryName.Outside;
  }

  /** The answer to {@code name} (absolute, as asked) of type {@code type}. */
  DnsAnswer answer(String name, int type) {
    QueryName parsed = QueryName.parse(name, domain, environment);
    String owner = name.endsWith(".") ? name : name + ".";
    if (parsed instanceof QueryName.Service service) {
      return service(owner, service, type);
    } else if (parsed instanceof QueryName.Node node) {
      return node(owner, node.node(), type);
    } else if (parsed instanceof QueryName.Addr addr) {
      return addresses(owner, List.of(addr.address()), type);
    } else if (parsed instanceof QueryName.Reverse reverse) {
      return reverse(owner, reverse.address(), type);
    } else if (parsed instanceof QueryName.Apex) {
      return apex(type);
    } else if (parsed instanceof QueryName.Unknown) {
      return negative(DnsTypes.NXDOMAIN);
    }
    // Outside the domain (no recursors) or another environment's name: not ours to answer.
    return DnsAnswer.bare(DnsTypes.REFUSED);
  }

  private DnsAnswer service(String owner, QueryName.Service query, int type) {
    CatalogView view = sources.catalog();
    if (view != cachedView) {
      cachedView = view;
      targetCache = new IdentityHashMap<>();
    }
    List<ServiceInstance> matching = new ArrayList<>();
    for (CatalogEntry entry : view.instancesIgnoringCase(query.service())) {
      if (query.tag() == null || hasTag(entry.instance(), query.tag())) {
        matching.add(entry.instance());
      }
    }
    if (matching.isEmpty()) {
      return negative(DnsTypes.NXDOMAIN);
    }
    List<ServiceInstance> passing =
        matching.stream().filter(i -> i.health() == HealthStatus.PASSING).toList();
    List<Target> targets =
        targets(WeightedShuffle.shuffle(passing, i -> i.weights().passing(), random));
    if (type == DnsTypes.SRV) {
      return srv(owner, targets);
    }
    if (query.srvOnly()) {
      return negative(DnsTypes.NOERROR);
    }
    List<InetAddress> addresses = new ArrayList<>();
    targets.forEach(target -> target.address().ifPresent(addresses::add));
    return addresses(owner, addresses, type);
  }

  private DnsAnswer srv(String owner, List<Target> targets) {
    List<ResourceRecord> answers = new ArrayList<>();
    List<ResourceRecord> additional = new ArrayList<>();
    Set<String> described = new LinkedHashSet<>();
    for (Target target : targets) {
      ServiceInstance instance = target.instance();
      Rdata.Srv srv =
          new Rdata.Srv(SRV_PRIORITY, instance.weights().passing(), instance.port(), target.name());
      answers.add(record(owner, DnsTypes.SRV, srv));
      if (target.address().isPresent() && described.add(target.name())) {
        additional.add(addressRecord(target.name(), target.address().get()));
      }
    }
    return answers.isEmpty() ? negative(DnsTypes.NOERROR) : answer(answers, additional);
  }

  private DnsAnswer node(String owner, String name, int type) {
    for (DnsSources.NodeEntry member : sources.activeMembers()) {
      if (member.name().equalsIgnoreCase(name)) {
        return addresses(owner, IpLiterals.parse(member.host()).stream().toList(), type);
      }
    }
    return negative(DnsTypes.NXDOMAIN);
  }

  private DnsAnswer reverse(String owner, InetAddress address, int type) {
    List<ResourceRecord> answers = new ArrayList<>();
    for (DnsSources.NodeEntry member : sources.activeMembers()) {
      if (IpLiterals.parse(member.host()).filter(address::equals).isPresent()) {
        answers.add(record(owner, DnsTypes.PTR, new Rdata.Ptr(nodeName(member.name()))));
      }
    }
    if (answers.isEmpty()) {
      return negative(DnsTypes.NXDOMAIN);
    }
    boolean asked = type == DnsTypes.PTR || type == DnsTypes.ANY;
    return asked ? answer(answers, List.of()) : negative(DnsTypes.NOERROR);
  }

  /** A, AAAA or both (ANY) of {@code addresses}, each once, in their order. */
  private DnsAnswer addresses(String owner, List<InetAddress> addresses, int type) {
    List<ResourceRecord> answers = new ArrayList<>();
    for (InetAddress address : new LinkedHashSet<>(addresses)) {
      int family = address instanceof Inet4Address ? DnsTypes.A : DnsTypes.AAAA;
      if (type == family || type == DnsTypes.ANY) {
        answers.add(record(owner, family, new Rdata.Address(address)));
      }
    }
    return answers.isEmpty() ? negative(DnsTypes.NOERROR) : answer(answers, List.of());
  }

  private DnsAnswer apex(int type) {
    if (type == DnsTypes.SOA || type == DnsTypes.ANY) {
      return answer(List.of(soa()), List.of());
    }
    return negative(DnsTypes.NOERROR);
  }

  /** NXDOMAIN, or NOERROR with no answer (a name without the asked type): both carry the SOA. */
  private DnsAnswer negative(int rcode) {
    return new DnsAnswer(rcode, List.of(), List.of(soa()), List.of());
  }

  private static DnsAnswer answer(List<ResourceRecord> answers, List<ResourceRecord> additional) {
    return new DnsAnswer(DnsTypes.NOERROR, answers, List.of(), additional);
  }

  /** The SOA; its serial is the replica's index, so it moves whenever the catalogue does. */
  ResourceRecord soa() {
    long serial = sources.catalog().index() & 0xFFFF_FFFFL;
    Rdata.Soa soa =
        new Rdata.Soa(
            "ns." + domain,
            "hostmaster." + domain,
            serial,
            SOA_REFRESH,
            SOA_RETRY,
            SOA_EXPIRE,
            ttlSeconds);
    return record(domain, DnsTypes.SOA, soa);
  }

  private ResourceRecord record(String owner, int type, Rdata data) {
    return new ResourceRecord(owner, type, ttlSeconds, data);
  }

  private ResourceRecord addressRecord(String owner, InetAddress address) {
    int type = address instanceof Inet4Address ? DnsTypes.A : DnsTypes.AAAA;
    return record(owner, type, new Rdata.Address(address));
  }

  /** Where an instance is reached: its own address, or its owner node's when it has none. */
  private record Target(ServiceInstance instance, String name, Optional<InetAddress> address) {}

  private List<Target> targets(List<ServiceInstance> instances) {
    List<Target> targets = new ArrayList<>(instances.size());
    for (ServiceInstance instance : instances) {
      // An instance without an address is reached at its owner's, which the registry may change
      // without the catalogue changing: looked up every time.
      Optional<Target> target =
          instance.address().isEmpty()
              ? target(instance)
              : targetCache.computeIfAbsent(instance, this::target);
      target.ifPresent(targets::add);
    }
    return targets;
  }

  /**
   * An IP address gets the target {@code HEX.addr.DOMAIN} (as Consul's), answered from the name
   * itself; a host name is the target as it is; no address means the owner node's. An instance
   * whose target cannot be written as a DNS name (a label over 63 bytes) is left out.
   */
  private Optional<Target> target(ServiceInstance instance) {
    String address = instance.address();
    if (address.isEmpty()) {
      return sources
          .owner(instance.owner())
          .map(node -> new Target(instance, nodeName(node.name()), IpLiterals.parse(node.host())));
    }
    Optional<InetAddress> literal = IpLiterals.parse(address);
    if (literal.isPresent()) {
      String name = IpLiterals.toHex(literal.get()) + ".addr." + domain;
      return Optional.of(new Target(instance, name, literal));
    }
    String host = address.endsWith(".") ? address : address + ".";
    return DnsWire.isWritableName(host)
        ? Optional.of(new Target(instance, host, Optional.empty()))
        : Optional.empty();
  }

  private String nodeName(String node) {
    return node.toLowerCase(Locale.ROOT) + ".node." + domain;
  }

  private static boolean hasTag(ServiceInstance instance, String tag) {
    for (String t : instance.tags()) {
      if (t.equalsIgnoreCase(tag)) {
        return true;
      }
    }
    return false;
  }
}
