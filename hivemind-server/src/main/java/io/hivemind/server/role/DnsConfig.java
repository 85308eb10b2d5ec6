package io.hivemind.server.role;

import io.hivemind.core.membership.Address;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The DNS interface's settings, checked by the agent's configuration: what the {@code dns} role
 * reads (docs/dns.md).
 *
 * @param bind where the DNS server listens, UDP and TCP on the same port
 * @param domain the domain answered, lower case, ending with a dot ({@code hivemind.})
 * @param ttl the TTL of every answer, and of negative answers (the SOA's minimum)
 * @param recursors servers names outside {@code domain} are forwarded to; empty: such names are
 *     refused
 */
public record DnsConfig(Address bind, String domain, Duration ttl, List<Address> recursors) {

  /** The domain when none is set: short, and unlikely to shadow a real top-level domain. */
  public static final String DEFAULT_DOMAIN = "hivemind.";

  /**
   * The TTL when none is set: short, because answers are shuffled and filtered by health on every
   * query, and a resolver that caches them longer defeats both (issue 12: "a few seconds").
   */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);

  /** The longest TTL accepted: a day; a longer one would pin a dead instance in caches. */
  public static final Duration MAX_TTL = Duration.ofDays(1);

  public DnsConfig {
    Objects.requireNonNull(bind, "bind");
    domain = normalizeDomain(domain);
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("a DNS TTL is 0s..1d: " + ttl);
    }
    recursors = List.copyOf(recursors);
  }

  /** The defaults, listening on {@code bind}. */
  public static DnsConfig defaults(Address bind) {
    return new DnsConfig(bind, DEFAULT_DOMAIN, DEFAULT_TTL, List.of());
  }

  /**
   * {@code domain} in lower case with one trailing dot ({@code Example} → {@code example.}).
   *
   * @throws IllegalArgumentException when it is not a DNS name of one or more labels of 1–63
   *     letters, digits or '-'
   */
  public static String normalizeDomain(String domain) {
    Objects.requireNonNull(domain, "domain");
    String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    name = name.toLowerCase(Locale.ROOT);
    if (name.isEmpty()
        || name.length() > 200
        || !name.matches("[a-z0-9-]{1,63}(\\.[a-z0-9-]{1,63})*")) {
      throw new IllegalArgumentException(
          "a DNS domain is one or more labels of letters, digits and '-', such as hivemind or"
              + " consul.example: '"
              + domain
              + "'");
    }
    return name + ".";
  }
}
