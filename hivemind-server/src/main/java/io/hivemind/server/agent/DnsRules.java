package io.hivemind.server.agent;

import io.hivemind.core.membership.Address;
import io.hivemind.server.role.DnsConfig;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The rules of the DNS settings ({@link DnsSettings}) and the sentences that say so, in the form of
 * {@link SettingRules}: {@code <setting> '<value>' is not <a thing>: <why>; use <what>}.
 */
final class DnsRules {

  private DnsRules() {}

  /** Checks every DNS setting {@code layer} sets, naming each with {@code names}. */
  static void check(DnsSettings layer, Function<Setting, String> names) {
    if (layer.port() != null) {
      port(layer.port(), names.apply(Setting.DNS_PORT));
    }
    if (layer.domain() != null) {
      domain(layer.domain(), names.apply(Setting.DNS_DOMAIN));
    }
    if (layer.ttl() != null) {
      ttl(layer.ttl(), names.apply(Setting.DNS_TTL));
    }
    if (layer.recursors() != null) {
      recursors(layer.recursors(), names.apply(Setting.DNS_RECURSORS));
    }
  }

  /**
   * The DNS interface's configuration: it listens on the HTTP API's host (what may read one may
   * read the other), on {@code dns_port} or the environment's well-known DNS port.
   */
  static DnsConfig dns(DnsSettings settings, String host, int defaultPort) {
    int port =
        settings.port() == null ? defaultPort : port(settings.port(), Setting.DNS_PORT.yamlKey());
    String domain =
        settings.domain() == null
            ? DnsConfig.DEFAULT_DOMAIN
            : domain(settings.domain(), Setting.DNS_DOMAIN.yamlKey());
    Duration ttl =
        settings.ttl() == null
            ? DnsConfig.DEFAULT_TTL
            : ttl(settings.ttl(), Setting.DNS_TTL.yamlKey());
    List<Address> recursors =
        settings.recursors() == null
            ? List.of()
            : recursors(settings.recursors(), Setting.DNS_RECURSORS.yamlKey());
    return new DnsConfig(new Address(host, port), domain, ttl, recursors);
  }

  static int port(String value, String name) {
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new ConfigException(
        name + " " + SettingRules.quote(value) + " is not a port: use a number from 0 to 65535");
  }

  static String domain(String value, String name) {
    try {
      return DnsConfig.normalizeDomain(value.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          name
              + " "
              + SettingRules.quote(value)
              + " is not a DNS domain: use labels of letters, digits and '-' separated by dots,"
              + " such as hivemind or consul.example");
    }
  }

  /** Seconds ({@code 5}) or a number with a unit ({@code 5s}, {@code 2m}, {@code 1h}); 0s..1d. */
  static Duration ttl(String value, String name) {
    String text = value.trim();
    Duration ttl = null;
    if (text.matches("[0-9]{1,6}[smh]?")) {
      char unit = text.charAt(text.length() - 1);
      String digits = Character.isDigit(unit) ? text : text.substring(0, text.length() - 1);
      long amount = Long.parseLong(digits);
      ttl =
          switch (unit) {
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
          };
    }
    if (ttl == null || ttl.compareTo(DnsConfig.MAX_TTL) > 0) {
      throw new ConfigException(
          name
              + " "
              + SettingRules.quote(value)
              + " is not a DNS TTL: use seconds up to a day, such as 5s, 30s or 1m");
    }
    return ttl;
  }

  /** The most recursors accepted: they take turns, and more than a few adds nothing. */
  static final int MAX_RECURSORS = 8;

  /**
   * Recursors, {@code ip} or {@code ip:port} (port 53 by default). IP addresses only: the agent
   * does not look up the servers it would look names up with.
   */
  static List<Address> recursors(List<String> values, String name) {
    if (values.size() > MAX_RECURSORS) {
      throw new ConfigException(
          name + " lists " + values.size() + " recursors: use at most " + MAX_RECURSORS);
    }
    List<Address> recursors = new java.util.ArrayList<>();
    for (String value : values) {
      Address address = HostPort.parse(value, DNS_PORT, 1, name);
      if (!address.host().matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")
          && !address.host().contains(":")) {
        throw new ConfigException(
            name
                + " "
                + SettingRules.quote(value)
                + " is not an IP address: use ip or ip:port (the agent does not look up its own"
                + " recursors)");
      }
      recursors.add(address);
    }
    return List.copyOf(recursors);
  }

  /** The port of DNS servers (RFC 1035 4.2). */
  private static final int DNS_PORT = 53;
}
