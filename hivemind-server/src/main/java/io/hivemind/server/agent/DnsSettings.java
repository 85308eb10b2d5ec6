package io.hivemind.server.agent;

import java.util.List;

/**
 * One layer of the DNS interface's settings (issue 12), kept in a record of its own as {@link
 * ControlSettings} is: a null component means "not set in this layer". Values stay text until
 * {@link DnsRules} checks them, naming the setting as its layer spells it.
 *
 * @param port the DNS port (UDP and TCP); default the environment's well-known one
 * @param domain the domain answered; default {@code hivemind.}
 * @param ttl the TTL of answers: seconds, or a number with s, m or h; default 5s
 * @param recursors servers names outside the domain would be forwarded to, {@code host[:port]}
 */
public record DnsSettings(String port, String domain, String ttl, List<String> recursors) {

  /** A layer that sets none of them. */
  public static final DnsSettings NONE = new DnsSettings(null, null, null, null);

  /** These settings with every component {@code higher} sets taking its place. */
  DnsSettings overlay(DnsSettings higher) {
    return new DnsSettings(
        pick(higher.port, port),
        pick(higher.domain, domain),
        pick(higher.ttl, ttl),
        pick(higher.recursors, recursors));
  }

  private static <T> T pick(T higher, T lower) {
    return higher != null ? higher : lower;
  }
}
