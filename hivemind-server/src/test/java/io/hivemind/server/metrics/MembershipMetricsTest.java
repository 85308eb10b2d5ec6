package io.hivemind.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import io.hivemind.server.http.HttpApiStats;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.membership.VirtualNodes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Metrics of a two-node cluster on a manual loop over an in-memory network, read through the
 * Prometheus text format. The in-memory network keeps no transport counters (they read 0 here);
 * that they count real datagrams is hivemind-it's {@code MembershipMetricsIT}.
 */
class MembershipMetricsTest {

  private final VirtualNodes nodes = new VirtualNodes();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @AfterEach
  void close() {
    registry.close();
    nodes.close();
  }

  @Test
  void scrape_twoNodeCluster_membersProbesAndDropsCounted() {
    List<MembershipService> cluster = nodes.startCluster("node", 2);
    MembershipService a = cluster.get(0);
    new MembershipMetrics(a).bindTo(registry);
    // Regression: gauges read method references Micrometer held weakly, and showed NaN after a GC.
    System.gc();

    nodes.inject(a, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    nodes.runFor(Duration.ofSeconds(10));

    assertThat(registry.scrape())
        .contains("hivemind_members{state=\"alive\"} 2.0")
        .contains("hivemind_members{state=\"dead\"} 0.0")
        .contains("hivemind_members{state=\"suspect\"} 0.0")
        .contains("hivemind_members{state=\"left\"} 0.0")
        .contains("hivemind_membership_local_health 0.0")
        .contains("hivemind_gossip_packets_received_total 0.0")
        .contains("hivemind_gossip_stream_failures_total 0.0")
        .contains("hivemind_gossip_streams_rejected_total 0.0")
        .contains("hivemind_gossip_packet_send_failures_total 0.0")
        .doesNotContain("NaN")
        .doesNotContain("hivemind_membership_probes_total 0.0")
        .doesNotContain("hivemind_gossip_messages_sent_total 0.0")
        .contains("hivemind_gossip_dropped_total{reason=\"malformed\"} 1.0")
        .contains("hivemind_gossip_dropped_total{reason=\"unauthenticated\"} 0.0");
  }

  @Test
  void scrape_afterACrash_countsTheDeadMember() {
    List<MembershipService> cluster = nodes.startCluster("node", 3);
    new MembershipMetrics(cluster.get(0)).bindTo(registry);

    cluster.get(2).close();
    nodes.awaitAllSee(cluster.subList(0, 2), List.of(cluster.get(2).name()), MemberState.DEAD);

    assertThat(registry.scrape())
        .contains("hivemind_members{state=\"alive\"} 2.0")
        .contains("hivemind_members{state=\"dead\"} 1.0")
        .doesNotContain("hivemind_membership_suspicions_total 0.0");
  }

  @Test
  void scrape_withTheHttpApisStats_connectionMetersExported() {
    List<MembershipService> cluster = nodes.startCluster("node", 1);
    new MembershipMetrics(cluster.get(0), new HttpApiStats()).bindTo(registry);
    System.gc(); // as above: every meter must survive a GC

    assertThat(registry.scrape())
        .contains("hivemind_http_connections_open 0.0")
        .contains("hivemind_http_connections_accepted_total 0.0")
        .contains("hivemind_http_connections_rejected_total 0.0")
        .contains("hivemind_http_requests_timed_out_total{part=\"head\"} 0.0")
        .contains("hivemind_http_requests_timed_out_total{part=\"body\"} 0.0")
        .contains("hivemind_http_accept_errors_total 0.0")
        .contains("hivemind_http_uploads_refused_total 0.0")
        .contains("hivemind_gossip_accept_errors_total 0.0")
        .doesNotContain("NaN");
  }

  @Test
  void scrape_withoutAnHttpApi_noHttpMeters() {
    List<MembershipService> cluster = nodes.startCluster("node", 1);
    new MembershipMetrics(cluster.get(0)).bindTo(registry);

    assertThat(registry.scrape()).doesNotContain("hivemind_http_");
  }
}
