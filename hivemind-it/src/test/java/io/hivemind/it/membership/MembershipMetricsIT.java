package io.hivemind.it.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.Environment;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.membership.MembershipServiceConfig;
import io.hivemind.server.metrics.MembershipMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Metrics of a real two-node cluster on loopback, read through the Prometheus text format: the
 * transport's counters count real datagrams.
 */
class MembershipMetricsIT {

  private MembershipService a;
  private MembershipService b;
  private PrometheusMeterRegistry registry;

  @AfterEach
  void close() {
    if (registry != null) {
      registry.close();
    }
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  @Test
  void scrape_twoNodeCluster_membersProbesAndDropsCounted() throws Exception {
    a = start("a");
    b = start("b");
    b.join(List.of(a.advertisedAddress())).get();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new MembershipMetrics(a).bindTo(registry);
    // Regression: gauges read method references Micrometer held weakly, and showed NaN after a GC.
    System.gc();

    try (DatagramSocket socket = new DatagramSocket()) {
      byte[] junk = {1, 2, 3, 4, 5, 6, 7, 8};
      socket.send(
          new DatagramPacket(
              junk, junk.length, InetAddress.getLoopbackAddress(), a.advertisedAddress().port()));
    }

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              String scrape = registry.scrape();
              assertThat(scrape)
                  .contains("hivemind_members{state=\"alive\"} 2.0")
                  .contains("hivemind_members{state=\"dead\"} 0.0")
                  .contains("hivemind_membership_local_health 0.0")
                  .doesNotContain("NaN")
                  .doesNotContain("hivemind_membership_probes_total 0.0")
                  .doesNotContain("hivemind_gossip_packets_received_total 0.0")
                  .containsPattern("hivemind_gossip_dropped_total\\{reason=\"malformed\"} [1-9]");
            });
  }

  private static MembershipService start(String name) {
    return MembershipService.start(
        MembershipServiceConfig.builder(name, Environment.TESTING)
            .cluster("metrics")
            .bindHost("127.0.0.1")
            .bindPort(0)
            .membership(MembershipConfig.local())
            .build());
  }
}
