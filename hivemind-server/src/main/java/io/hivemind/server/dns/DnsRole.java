package io.hivemind.server.dns;

import io.hivemind.server.role.DnsConfig;
import io.hivemind.server.role.Role;
import io.hivemind.server.role.RoleContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dns} role: serves DNS for the catalogue and the members from this agent's replica
 * (issue 12, docs/dns.md).
 *
 * <p>A port that cannot be bound leaves the agent without DNS, said at WARN, rather than failing
 * it, as the catalogue sessions port does: every plain agent performs the role by default, and two
 * agents of one instance on a host (or several in one test JVM) share the well-known port.
 * Lifecycle: start and stop on the agent's start and close thread.
 */
final class DnsRole implements Role {

  private static final Logger log = LoggerFactory.getLogger(DnsRole.class);

  private DnsServer server;

  @Override
  public String name() {
    return DnsRoleProvider.NAME;
  }

  @Override
  public void start(RoleContext context) throws IOException {
    DnsConfig config = context.node().dns();
    DnsSources sources =
        new AgentDnsSources(
            context.catalogueReads(),
            context.membership(),
            context.controlPlane(),
            context.node().environment());
    // Seeded once from the OS: the shuffle needs no cryptographic strength, only no pattern a
    // client could lock onto. The DNS thread is its only user.
    DnsAnswerer answerer =
        new DnsAnswerer(
            config.domain(),
            config.ttl().toSeconds(),
            context.node().environment(),
            sources,
            new SplittableRandom(new SecureRandom().nextLong()));
    DnsStats stats = new DnsStats(context.metrics());
    DnsForwarder forwarder = forwarder(config, stats);
    DnsResponder responder = new DnsResponder(answerer, stats, System::nanoTime, forwarder);
    try {
      server = DnsServer.bind(config.bind().host(), config.bind().port(), responder, forwarder);
    } catch (IOException e) {
      log.warn("no DNS on this agent: {}", e.getMessage());
    }
  }

  /** A forwarder to the recursors (IP literals: resolving them needs no lookup), or null. */
  private static DnsForwarder forwarder(DnsConfig config, DnsStats stats) {
    if (config.recursors().isEmpty()) {
      return null;
    }
    List<InetSocketAddress> recursors =
        config.recursors().stream()
            .map(address -> new InetSocketAddress(address.host(), address.port()))
            .toList();
    return new DnsForwarder(recursors, stats, new SplittableRandom(new SecureRandom().nextLong()));
  }

  /** The port DNS listens on, or -1 when it could not be bound. */
  int port() {
    DnsServer running = server;
    return running == null ? -1 : running.port();
  }

  @Override
  public void stop() {
    DnsServer running = server;
    server = null;
    if (running != null) {
      running.close();
    }
  }
}
