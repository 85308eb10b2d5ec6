package io.hivemind.it.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.net.HostAndPort;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiwiproject.consul.AgentClient;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.KeyValueClient;
import org.kiwiproject.consul.model.State;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;
import org.kiwiproject.consul.model.agent.Registration;
import org.kiwiproject.consul.model.health.HealthCheck;
import org.kiwiproject.consul.model.health.ServiceHealth;

/**
 * A strict real Consul client: kiwiproject's consul-client (the maintained fork of the orbitz /
 * rickfast Java client) against a launched agent. Its models are Immutables over Jackson that
 * refuse a missing required field and, for events, an unknown one, so this checks the JSON shapes
 * more closely than Spring's or python's lenient clients. It found three: {@code /v1/agent/self}'s
 * {@code Config} without {@code Revision} and {@code Server}, nodes' {@code TaggedAddresses}
 * without {@code wan}, and events with Hivemind's own fields (now behind {@code ?detail}).
 */
class KiwiConsulClientIT {

  @TempDir static Path root;
  private static LaunchedAgent agent;
  private static Consul consul;

  @BeforeAll
  static void start() throws Exception {
    agent = LaunchedAgent.start(root, "kiwi-it");
    consul =
        Consul.builder()
            .withHostAndPort(HostAndPort.fromParts("127.0.0.1", agent.uri().getPort()))
            .build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (consul != null) {
      consul.destroy();
    }
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void agentAndStatus_selfMembersLeaderDatacenters() {
    AgentClient agentClient = consul.agentClient();

    agentClient.ping();
    assertThat(agentClient.getAgent().getConfig().getDatacenter()).isEqualTo("kiwi-it");
    assertThat(agentClient.getMembers()).hasSize(1);
    assertThat(consul.statusClient().getLeader()).isNotEmpty();
    assertThat(consul.catalogClient().getDatacenters()).containsExactly("kiwi-it");
  }

  @Test
  void service_registeredPassedLookedUpEveryWay_maintenance_deregistered() throws Exception {
    AgentClient agentClient = consul.agentClient();
    agentClient.register(
        ImmutableRegistration.builder()
            .id("web-1")
            .name("web")
            .address("10.0.0.1")
            .port(8080)
            .addTags("a")
            .check(Registration.RegCheck.ttl(30L))
            .build());
    agentClient.pass("web-1", "fine");

    assertThat(agentClient.getServices()).containsKey("web-1");
    assertThat(agentClient.getChecks().get("service:web-1").getOutput()).contains("fine");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> !consul.healthClient().getHealthyServiceInstances("web").getResponse().isEmpty());
    ServiceHealth healthy =
        consul.healthClient().getHealthyServiceInstances("web").getResponse().get(0);
    assertThat(healthy.getService().getPort()).isEqualTo(8080);
    assertThat(healthy.getNode().getTaggedAddresses()).isPresent();
    assertThat(consul.catalogClient().getService("web").getResponse().get(0).getServiceAddress())
        .isEqualTo("10.0.0.1");
    assertThat(consul.catalogClient().getNodes().getResponse())
        .anySatisfy(node -> assertThat(node.getNode()).isEqualTo("kiwi-it"));
    assertThat(consul.catalogClient().getNode("kiwi-it").getResponse().getServices())
        .containsKey("web-1");
    assertThat(consul.healthClient().getNodeChecks("kiwi-it").getResponse())
        .extracting(HealthCheck::getCheckId)
        .contains("service:web-1");
    assertThat(consul.healthClient().getChecksByState(State.PASS).getResponse())
        .extracting(HealthCheck::getCheckId)
        .contains("service:web-1");

    agentClient.toggleMaintenanceMode("web-1", true, "upgrade");
    assertThat(consul.healthClient().getHealthyServiceInstances("web").getResponse()).isEmpty();
    agentClient.toggleMaintenanceMode("web-1", false, "");
    assertThat(consul.healthClient().getHealthyServiceInstances("web").getResponse()).hasSize(1);

    agentClient.deregister("web-1");
    assertThat(consul.catalogClient().getService("web").getResponse()).isEmpty();
  }

  @Test
  void kvAndEvents() {
    KeyValueClient kv = consul.keyValueClient();

    assertThat(kv.putValue("app/a", "hello")).isTrue();
    assertThat(kv.getValueAsString("app/a")).contains("hello");
    assertThat(kv.getKeys("app")).containsExactly("app/a");
    kv.deleteKeys("app");
    assertThat(kv.getValueAsString("app/a")).isEmpty();

    assertThat(consul.eventClient().fireEvent("deploy").getName()).isEqualTo("deploy");
    assertThat(consul.eventClient().listEvents("deploy").getEvents())
        .anySatisfy(event -> assertThat(event.getName()).isEqualTo("deploy"));
  }
}
