package io.hivemind.server.dns;

import io.hivemind.api.Environment;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a question's name asks for (docs/dns.md, "Names"). Names fold case (RFC 4343): labels are
 * lower-cased here, once.
 *
 * <pre>
 *   [TAG.]NAME.service[.ENV].DOMAIN      A, AAAA, SRV of an service's instances
 *   _NAME._tcp|_udp.service[.ENV].DOMAIN  SRV (RFC 2782)
 *   _NAME._TAG.service[.ENV].DOMAIN       SRV of the instances with TAG
 *   NODE.node[.ENV].DOMAIN                A, AAAA of a member
 *   HEX.addr[.ENV].DOMAIN                 A, AAAA of an address (SRV targets of IP instances)
 *   D.C.B.A.in-addr.arpa, N...ip6.arpa    PTR of a member's address
 * </pre>
 */
sealed interface QueryName {

  /** The domain itself. */
  record Apex() implements QueryName {}

  /** A name under the domain that names nothing: NXDOMAIN. */
  record Unknown() implements QueryName {}

  /** Outside the domain and not a reverse name: REFUSED (no recursors). */
  record Outside() implements QueryName {}

  /** A name of another environment than the agent's: REFUSED (its agents answer it). */
  record OtherEnvironment(Environment environment) implements QueryName {}

  /**
   * @param tag the tag instances must carry, or null
   * @param srvOnly the RFC 2782 form, which asks for SRV records only
   */
  record Service(String service, String tag, boolean srvOnly) implements QueryName {}

  record Node(String node) implements QueryName {}

  record Addr(InetAddress address) implements QueryName {}

  record Reverse(InetAddress address) implements QueryName {}

  /**
   * Parses {@code name} (absolute or not) against {@code domain} (lower case, ending with a dot).
   */
  static QueryName parse(String name, String domain, Environment own) {
    String lower = name.toLowerCase(Locale.ROOT);
    String absolute = lower.endsWith(".") ? lower : lower + ".";
    if (absolute.equals(domain)) {
      return new Apex();
    }
    if (!absolute.endsWith("." + domain)) {
      return ReverseNames.parse(absolute).<QueryName>map(Reverse::new).orElse(new Outside());
    }
    String inside = absolute.substring(0, absolute.length() - domain.length() - 1);
    List<String> labels = Arrays.asList(inside.split("\\.", -1));
    return underDomain(labels, own);
  }

  private static QueryName underDomain(List<String> labels, Environment own) {
    int kindAt = labels.size() - 1;
    Optional<Environment> environment = environment(labels.get(kindAt));
    if (environment.isPresent() && kindAt >= 1 && isKind(labels.get(kindAt - 1))) {
      if (environment.get() != own) {
        return new OtherEnvironment(environment.get());
      }
      kindAt--;
    }
    List<String> rest = labels.subList(0, kindAt);
    return switch (labels.get(kindAt)) {
      case "service" -> service(rest);
      case "node" -> rest.size() == 1 && !rest.get(0).isEmpty() ? new Node(rest.get(0)) : unknown();
      case "addr" -> rest.size() == 1 ? addr(rest.get(0)) : unknown();
      default -> unknown();
    };
  }

  private static QueryName service(List<String> rest) {
    if (rest.size() == 1) {
      return rest.get(0).isEmpty() ? unknown() : new Service(rest.get(0), null, false);
    }
    if (rest.size() != 2 || rest.get(0).isEmpty() || rest.get(1).isEmpty()) {
      return unknown();
    }
    String first = rest.get(0);
    String second = rest.get(1);
    if (first.startsWith("_") && first.length() > 1) {
      if (second.equals("_tcp") || second.equals("_udp")) {
        return new Service(first.substring(1), null, true);
      }
      if (second.startsWith("_") && second.length() > 1) {
        return new Service(first.substring(1), second.substring(1), true);
      }
    }
    return new Service(second, first, false);
  }

  private static QueryName addr(String hex) {
    return IpLiterals.fromHex(hex).<QueryName>map(Addr::new).orElse(unknown());
  }

  private static boolean isKind(String label) {
    return label.equals("service") || label.equals("node") || label.equals("addr");
  }

  private static Optional<Environment> environment(String label) {
    for (Environment environment : Environment.values()) {
      if (environment.id().equals(label)) {
        return Optional.of(environment);
      }
    }
    return Optional.empty();
  }

  private static QueryName unknown() {
    return new Unknown();
  }
}
