package io.hivemind.it.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.CatalogNode;
import io.hivemind.api.ControlPlaneStatus;
import io.hivemind.api.KvPair;
import io.hivemind.api.RaftConfiguration;
import io.hivemind.api.SessionInfo;
import io.hivemind.api.UserEvent;
import io.hivemind.client.HivemindClientException;
import io.hivemind.client.Indexed;
import io.hivemind.client.KvLocks;
import io.hivemind.client.KvTxn;
import io.hivemind.client.LeaderElection;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.membership.Address;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client against the real HTTP API on a loopback port, over an in-memory control plane
 * that applies a real ControlState: KV, events (blocking), status, operator and catalog calls, and
 * degraded mode as the client reports it.
 */
class ControlClientIT {

  @RegisterExtension final ControlApi agent = new ControlApi();

  @Test
  void kv_putGetListKeysDelete() {
    assertThat(agent.client.kvPut("app/db/host", bytes("10.0.0.5"))).isTrue();
    assertThat(agent.client.kvPut("app/db/port", bytes("5432"), 7, -1)).isTrue();
    assertThat(agent.client.kvPut("app/name with space", bytes("x"))).isTrue();

    KvPair host = agent.client.kvGet("app/db/host").orElseThrow();
    assertThat(text(host.decodedValue())).isEqualTo("10.0.0.5");
    assertThat(agent.client.kvGet("app/db/port").orElseThrow().flags()).isEqualTo(7);
    assertThat(agent.client.kvGet("app/name with space")).isPresent();
    assertThat(agent.client.kvGet("app/missing")).isEmpty();
    assertThat(agent.client.kvList("app/db/"))
        .extracting(KvPair::key)
        .containsExactly("app/db/host", "app/db/port");
    assertThat(agent.client.kvKeys("app/", "/")).containsExactly("app/db/", "app/name with space");

    assertThat(agent.client.kvDelete("app/db/", true)).isTrue();
    assertThat(agent.client.kvList("app/db/")).isEmpty();
    assertThat(agent.client.kvDelete("app/name with space")).isTrue();
    assertThat(agent.client.kvKeys("", null)).isEmpty();
  }

  @Test
  void kv_compareAndSet_falseWhenTheIndexMoved() {
    assertThat(agent.client.kvPut("lock", bytes("a"), 0, 0)).isTrue();
    assertThat(agent.client.kvPut("lock", bytes("b"), 0, 0)).isFalse();
    long modify = agent.client.kvGet("lock").orElseThrow().modifyIndex();

    assertThat(agent.client.kvPut("lock", bytes("c"), 0, modify)).isTrue();
    assertThat(agent.client.kvPut("lock", bytes("d"), 0, modify)).isFalse();
    assertThat(text(agent.client.kvGet("lock").orElseThrow().decodedValue())).isEqualTo("c");
  }

  @Test
  void kvTxn_allOrNone_readsSeeEarlierWrites_aFailedCheckNamed() {
    agent.client.kvPut("config/version", bytes("41"));
    long version = agent.client.kvGet("config/version").orElseThrow().modifyIndex();

    KvTxn.Outcome committed =
        agent
            .client
            .kvTxn()
            .checkIndex("config/version", version)
            .set("config/version", bytes("42"))
            .set("config/a", bytes("alpha"), 9)
            .get("config/a")
            .getTree("config/")
            .commit();

    assertThat(committed.committed()).isTrue();
    assertThat(committed.failedOperation()).isEqualTo(-1);
    assertThat(committed.results())
        .extracting(KvPair::key)
        .containsExactly(
            "config/version",
            "config/version",
            "config/a",
            "config/a",
            "config/a",
            "config/version");
    assertThat(committed.results().get(1).value()).as("a write answers no value").isNull();
    assertThat(text(committed.results().get(3).decodedValue())).isEqualTo("alpha");
    assertThat(committed.results().get(2).flags()).isEqualTo(9);

    KvTxn.Outcome refused =
        agent
            .client
            .kvTxn()
            .set("config/b", bytes("beta"))
            .checkIndex("config/version", version)
            .commit();

    assertThat(refused.committed()).isFalse();
    assertThat(refused.results()).isEmpty();
    assertThat(refused.failedOperation()).isEqualTo(1);
    assertThat(refused.why()).contains("config/version").contains("not " + version);
    assertThat(agent.client.kvGet("config/b")).isEmpty();
    assertThatThrownBy(() -> agent.client.kvTxn().set("", bytes("x")).commit())
        .isInstanceOf(HivemindClientException.class)
        .hasMessageContaining("KV key");
  }

  @Test
  void events_fireThenList_andABlockingListWakesOnTheNext() throws Exception {
    UserEvent fired = agent.client.fireEvent("deploy", bytes("v1"));
    assertThat(fired.name()).isEqualTo("deploy");
    assertThat(text(fired.decodedPayload())).isEqualTo("v1");

    Indexed<List<UserEvent>> page = agent.client.events(0, Duration.ZERO);
    assertThat(page.value()).extracting(UserEvent::id).contains(fired.id());
    assertThat(page.index()).isEqualTo(fired.index());

    CompletableFuture<Indexed<List<UserEvent>>> next =
        CompletableFuture.supplyAsync(
            () -> agent.client.events(page.index(), Duration.ofSeconds(30)));
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.plane.pendingWaits() == 1);
    agent.plane.apply(new ControlCommand.AppendEvent("config", "node-2", bytes("v2")));

    Indexed<List<UserEvent>> woken = next.get();
    assertThat(woken.index()).isGreaterThan(page.index());
    assertThat(woken.value()).extracting(UserEvent::name).contains("config");
  }

  @Test
  void status_leaderPeersConfigurationAndControlStatus() {
    assertThat(agent.client.leader()).isEqualTo(InMemoryControlPlane.LEADER);
    assertThat(agent.client.peers()).hasSize(3).contains(InMemoryControlPlane.LEADER);

    RaftConfiguration configuration = agent.client.raftConfiguration();
    assertThat(configuration.servers()).hasSize(3);
    assertThat(configuration.servers().get(0).id()).isEqualTo("node-1");
    assertThat(configuration.servers().get(0).leader()).isTrue();

    ControlPlaneStatus status = agent.client.controlStatus();
    assertThat(status.degraded()).isFalse();
    assertThat(status.cluster()).isEqualTo("main");
  }

  @Test
  void operator_transferAndRemove() {
    agent.client.transferLeader("node-2");
    agent.client.removePeer("node-3");

    assertThat(agent.plane.transfers).containsExactly("node-2");
    assertThat(agent.plane.removals).containsExactly("node-3");
    assertThatThrownBy(() -> agent.client.transferLeader("ghost"))
        .isInstanceOfSatisfying(
            HivemindClientException.class, e -> assertThat(e.code()).isEqualTo("operator_refused"));
  }

  @Test
  void locks_leaderElection_oneHolder_renewed_handedOverWhenTheSessionEnds() {
    agent.plane.apply(
        new ControlCommand.AdmitMember(
            new ControlMember(
                "m-1", "node-1", new Address("10.0.0.1", 7360), List.of(), "", "h", 0, 0)));
    KvLocks locks = agent.client.locks();
    String first = locks.createSession("a", Duration.ofSeconds(30), Duration.ZERO, false);
    String second = locks.createSession("b", Duration.ZERO, Duration.ZERO, false);

    assertThat(locks.acquire("service/leader", bytes("a"), first)).isTrue();
    assertThat(locks.acquire("service/leader", bytes("b"), second)).isFalse();
    KvPair held = agent.client.kvGet("service/leader").orElseThrow();
    assertThat(held.session()).isEqualTo(first);
    assertThat(held.lockIndex()).isEqualTo(1);
    SessionInfo renewed = locks.renew(first).orElseThrow();
    assertThat(renewed.ttl()).isEqualTo("30s");
    assertThat(renewed.node()).isEqualTo("node-1");
    assertThat(locks.sessions())
        .extracting(SessionInfo::id)
        .containsExactlyInAnyOrder(first, second);

    locks.destroy(first);

    assertThat(locks.renew(first)).isEmpty();
    assertThat(agent.client.kvGet("service/leader").orElseThrow().session()).isNull();
    assertThat(locks.acquire("service/leader", bytes("b"), second)).isTrue();
    assertThat(locks.release("service/leader", bytes("done"), second)).isTrue();
    assertThat(locks.release("service/leader", bytes("again"), second)).isFalse();
    assertThatThrownBy(() -> locks.acquire("service/leader", bytes("x"), first))
        .isInstanceOfSatisfying(
            HivemindClientException.class, e -> assertThat(e.code()).isEqualTo("no_session"));
    assertThatThrownBy(() -> locks.createSession("c", Duration.ofSeconds(1), Duration.ZERO, false))
        .isInstanceOfSatisfying(
            HivemindClientException.class, e -> assertThat(e.code()).isEqualTo("invalid_session"));
  }

  @Test
  void leaderElection_oneLeads_theOtherTakesOverWhenItCloses() {
    agent.plane.apply(
        new ControlCommand.AdmitMember(
            new ControlMember(
                "m-1", "node-1", new Address("10.0.0.1", 7360), List.of(), "", "h", 0, 0)));
    List<Boolean> firstHeard = new CopyOnWriteArrayList<>();
    List<Boolean> secondHeard = new CopyOnWriteArrayList<>();
    Duration ttl = Duration.ofSeconds(10);

    LeaderElection first =
        LeaderElection.start(
            agent.client, "svc/leader", bytes("one"), ttl, Duration.ZERO, firstHeard::add);
    try {
      await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
      try (LeaderElection second =
          LeaderElection.start(
              agent.client, "svc/leader", bytes("two"), ttl, Duration.ZERO, secondHeard::add)) {
        await()
            .during(Duration.ofSeconds(1))
            .atMost(Duration.ofSeconds(3))
            .until(() -> !second.isLeader());

        first.close();

        // Woken by the key's release, not by its half-TTL wait running out.
        await().atMost(Duration.ofSeconds(4)).until(second::isLeader);
        assertThat(firstHeard).containsExactly(true, false);
        assertThat(text(agent.client.kvGet("svc/leader").orElseThrow().decodedValue()))
            .isEqualTo("two");

        // A lock taken away (an operator deletes the key) ends the leadership at once; the key
        // is free then, so the election takes it again.
        agent.client.kvDelete("svc/leader");

        await().atMost(Duration.ofSeconds(4)).until(() -> secondHeard.size() == 3);
        assertThat(second.isLeader()).isTrue();
      }
      assertThat(secondHeard).containsExactly(true, false, true, false);
    } finally {
      first.close(); // closing twice is harmless
    }
    assertThat(agent.client.locks().sessions()).isEmpty();
    assertThat(agent.client.kvGet("svc/leader").orElseThrow().session()).isNull();
  }

  @Test
  void catalogNodes_theAdmittedMembers() {
    agent.plane.apply(
        new ControlCommand.AdmitMember(
            new ControlMember(
                "m-1", "web-1", new Address("127.0.0.9", 7360), List.of("dns"), "z", "h", 0, 0)));

    List<CatalogNode> nodes = agent.client.catalogNodes();

    assertThat(nodes).extracting(CatalogNode::node).containsExactly("web-1");
    assertThat(nodes.get(0).id()).isEqualTo("m-1");
    assertThat(nodes.get(0).datacenter()).isEqualTo("main");
    assertThat(nodes.get(0).meta()).containsEntry("roles", "dns");
  }

  @Test
  void degraded_writesFailWithNoQuorum_leaderEmpty() {
    agent.plane.degraded = true;

    assertThatThrownBy(() -> agent.client.kvPut("k", bytes("v")))
        .isInstanceOfSatisfying(
            HivemindClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo("no_quorum");
              assertThat(e.httpStatus()).isEqualTo(503);
              assertThat(e.getMessage()).contains("no leader");
            });
    assertThat(agent.client.leader()).isEmpty();
    assertThat(agent.client.controlStatus().degraded()).isTrue();
    assertThatThrownBy(() -> agent.client.catalogNodes())
        .isInstanceOf(HivemindClientException.class);
    assertThat(agent.client.withStaleReads().catalogNodes()).isEmpty();
    assertThat(agent.client.withStaleReads().kvGet("k")).isEmpty();
    assertThat(agent.client.withStaleReads().events(0, Duration.ZERO).value()).isNotEmpty();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
