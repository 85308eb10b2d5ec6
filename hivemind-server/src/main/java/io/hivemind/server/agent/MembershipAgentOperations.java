package io.hivemind.server.agent;

import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipStats;
import io.hivemind.server.http.AgentOperations;
import io.hivemind.server.membership.MembershipService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The HTTP API's view of an agent, over its membership service and metrics registry. */
final class MembershipAgentOperations implements AgentOperations {

  private final MembershipService membership;
  private final PrometheusMeterRegistry registry;

  MembershipAgentOperations(MembershipService membership, PrometheusMeterRegistry registry) {
    this.membership = membership;
    this.registry = registry;
  }

  @Override
  public Member self() {
    return membership.self();
  }

  @Override
  public List<Member> members() {
    return membership.members();
  }

  @Override
  public Map<String, Long> counters() {
    MembershipStats c = membership.counters();
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("packets_sent", c.packetsSent());
    counters.put("packets_received", c.packetsReceived());
    counters.put("bytes_sent", c.bytesSent());
    counters.put("bytes_received", c.bytesReceived());
    counters.put("streams_opened", c.streamsOpened());
    counters.put("probes", c.probes());
    counters.put("probe_failures", c.probeFailures());
    counters.put("suspicions", c.suspicions());
    counters.put("refutations", c.refutations());
    counters.put("dropped", c.droppedTotal());
    counters.put("local_health_score", (long) membership.localHealthScore());
    return counters;
  }

  /**
   * The HTTP API bounds the wait itself and cancels the future when it gives up, which cancels the
   * join: a seed typed wrong is not retried for ever behind the user's back.
   */
  @Override
  public CompletableFuture<Void> join(List<Address> seeds) {
    return membership.joinUntilCancelled(seeds);
  }

  @Override
  public CompletableFuture<Void> leave() {
    return membership.leave();
  }

  @Override
  public String prometheusScrape() {
    return registry.scrape();
  }
}
