package io.hivemind.it.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.KvEntry;
import io.hivemind.core.membership.Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's commands ({@code status}, {@code operator raft}, {@code events}, {@code kv})
 * against the real HTTP API on a loopback port, over an in-memory control plane.
 */
class ControlCommandsIT {

  @RegisterExtension final ControlApi agent = new ControlApi();

  @Test
  void status_textSaysLeaderAndNotDegraded() {
    int code = agent.cli("status");

    assertThat(code).as(agent.err.toString()).isZero();
    assertThat(agent.out.toString())
        .contains("Leader:         " + InMemoryControlPlane.LEADER)
        .contains("Degraded:       no")
        .contains("node-1  node-1  127.0.0.1:7362  leader");
  }

  @Test
  void status_degraded_saysSoAndExits0() {
    agent.plane.degraded = true;

    int code = agent.cli("status");

    assertThat(code).isZero();
    assertThat(agent.out.toString())
        .contains("Leader:         (none)")
        .contains("Degraded:       yes");
  }

  @Test
  void status_json() throws Exception {
    assertThat(agent.cli("status", "--json")).isZero();

    JsonNode status = new ObjectMapper().readTree(agent.out.toString());
    assertThat(status.get("Degraded").asBoolean()).isFalse();
    assertThat(status.get("Peers").get(0).get("ID").asText()).isEqualTo("node-1");
  }

  @Test
  void operatorRaft_listPeers_consulTable() {
    int code = agent.cli("operator", "raft", "list-peers");

    assertThat(code).as(agent.err.toString()).isZero();
    assertThat(agent.out.toString().lines())
        .containsExactly(
            "Node    ID      Address         State     Voter  RaftProtocol",
            "node-1  node-1  127.0.0.1:7362  leader    true   3",
            "node-2  node-2  127.0.0.2:7362  follower  true   3",
            "node-3  node-3  127.0.0.3:7362  follower  true   3");
  }

  @Test
  void operatorRaft_transferAndRemove() {
    assertThat(agent.cli("operator", "raft", "transfer-leader", "node-2")).isZero();
    assertThat(agent.cli("operator", "raft", "remove-peer", "node-3")).isZero();

    assertThat(agent.plane.transfers).containsExactly("node-2");
    assertThat(agent.plane.removals).containsExactly("node-3");
    assertThat(agent.out.toString())
        .contains("Leadership transferred to node-2.")
        .contains("Removed peer node-3 from the Raft group.");
  }

  @Test
  void operatorRaft_degraded_oneSentenceExit1() {
    agent.plane.degraded = true;

    int code = agent.cli("operator", "raft", "transfer-leader", "node-2");

    assertThat(code).isEqualTo(1);
    assertThat(agent.err.toString())
        .isEqualTo("hivemind: no leader: 1 of 3 voters reachable" + System.lineSeparator());
  }

  @Test
  void kv_putGetDelete() {
    assertThat(agent.cli("kv", "put", "app/greeting", "hello world")).isZero();
    assertThat(agent.cli("kv", "get", "app/greeting")).isZero();
    assertThat(agent.cli("kv", "get", "--recurse", "app/")).isZero();
    assertThat(agent.cli("kv", "delete", "app/greeting")).isZero();

    assertThat(agent.out.toString().lines())
        .containsExactly(
            "Success! Data written to: app/greeting",
            "hello world",
            "app/greeting:hello world",
            "Success! Deleted key: app/greeting");
  }

  @Test
  void session_createListDestroy() {
    agent.plane.apply(
        new ControlCommand.AdmitMember(
            new ControlMember(
                "m-1", "node-1", new Address("10.0.0.1", 7360), List.of(), "", "h", 0, 0)));

    assertThat(agent.cli("session", "create", "--name", "leader", "--ttl", "30s")).isZero();
    String id = agent.out.toString().strip();
    assertThat(agent.cli("session", "list")).isZero();
    assertThat(agent.out.toString().lines())
        .containsExactly(id, id + " node-1 ttl=30s release leader");
    assertThat(agent.cli("session", "destroy", id)).isZero();
    assertThat(agent.plane.view().sessions().size()).isZero();
    assertThat(agent.cli("session", "create", "--ttl", "1s")).isEqualTo(1);
    assertThat(agent.err.toString()).contains("TTL");
  }

  @Test
  void lock_runsTheCommandHoldingTheLock_oneAtATime_andGivesItBack(@TempDir Path dir)
      throws Exception {
    admitThisNode();
    Path log = dir.resolve("log");
    String job = "echo start >> " + log + "; sleep 1; echo end >> " + log;

    CompletableFuture<Integer> first =
        CompletableFuture.supplyAsync(() -> agent.lock("jobs/nightly", job));
    CompletableFuture<Integer> second =
        CompletableFuture.supplyAsync(() -> agent.lock("jobs/nightly", job));
    int exit = agent.lock("jobs/other", "sh", "-c", "exit 3");

    assertThat(exit).as(agent.err.toString()).isEqualTo(3);
    assertThat(first.get(60, TimeUnit.SECONDS)).as(agent.err.toString()).isZero();
    assertThat(second.get(60, TimeUnit.SECONDS)).as(agent.err.toString()).isZero();
    assertThat(Files.readAllLines(log)).containsExactly("start", "end", "start", "end");
    KvEntry lock = agent.plane.view().kv().get("jobs/nightly/.lock");
    assertThat(lock.locked()).as("given back").isFalse();
    assertThat(lock.lockIndex()).isEqualTo(2);
    assertThat(agent.plane.view().sessions().size()).isZero();
    // Given back before each session ended: no lock delay held the next holder back.
    assertThat(agent.plane.view().sessions().lockDelays()).isEmpty();
  }

  @Test
  void lock_heldElsewhere_timesOut_andALostLockStopsTheCommand(@TempDir Path dir) throws Exception {
    admitThisNode();
    Path pid = dir.resolve("pid");
    CompletableFuture<Integer> holder =
        CompletableFuture.supplyAsync(
            () -> agent.lock("svc", "sleep 30 & echo $! > " + pid + "; wait"));
    await().atMost(Duration.ofSeconds(10)).until(() -> lockHolder("svc/.lock") != null);

    assertThat(agent.lock("--timeout", "1s", "svc", "true")).isEqualTo(1);
    assertThat(agent.err.toString()).contains("was not taken within 1000 ms");

    // An operator deletes the key: the holder's command is stopped, the shell's child with it, and
    // the holder exits 1.
    agent.plane.apply(new ControlCommand.KvDelete("svc/.lock", false, -1));
    assertThat(holder.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(agent.err.toString()).contains("lost the lock on svc/.lock");
    long sleeper = Long.parseLong(Files.readString(pid).strip());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(sleeper).map(p -> !p.isAlive()).orElse(true));
  }

  private String lockHolder(String key) {
    KvEntry entry = agent.plane.view().kv().get(key);
    return entry == null || !entry.locked() ? null : entry.session();
  }

  /** Sessions are bound to this agent's node (FixedAgent: node-1), which must be admitted. */
  private void admitThisNode() {
    agent.plane.apply(
        new ControlCommand.AdmitMember(
            new ControlMember(
                "m-self", "node-1", new Address("10.0.0.1", 7360), List.of(), "", "h", 0, 0)));
  }

  @Test
  void degraded_kvGetFails_butStaleAnswersFromTheReplica() {
    agent.cli("kv", "put", "k", "kept");
    agent.plane.degraded = true;

    assertThat(agent.cli("kv", "get", "k")).isEqualTo(1);
    assertThat(agent.err.toString()).contains("hivemind: no leader");
    assertThat(agent.cli("kv", "get", "k", "--stale")).isZero();
    assertThat(agent.cli("events", "--stale")).isZero();

    assertThat(agent.out.toString()).contains("kept");
  }

  @Test
  void kv_getMissing_exit1() {
    int code = agent.cli("kv", "get", "nothing");

    assertThat(code).isEqualTo(1);
    assertThat(agent.err.toString())
        .isEqualTo("hivemind: no key 'nothing' exists" + System.lineSeparator());
  }

  @Test
  void kv_casLost_exit1() {
    agent.cli("kv", "put", "k", "v1");

    int code = agent.cli("kv", "put", "k", "v2", "--cas", "0");

    assertThat(code).isEqualTo(1);
    assertThat(agent.err.toString()).contains("did not write to k");
  }

  @Test
  void kv_getJson_theApiArray() throws Exception {
    agent.cli("kv", "put", "k", "v", "--flags", "3");
    agent.out.getBuffer().setLength(0);

    assertThat(agent.cli("kv", "get", "k", "--json")).isZero();

    JsonNode entries = new ObjectMapper().readTree(agent.out.toString());
    assertThat(entries.get(0).get("Key").asText()).isEqualTo("k");
    assertThat(entries.get(0).get("Flags").asLong()).isEqualTo(3);
    assertThat(entries.get(0).get("Value").asText()).isEqualTo("dg==");
  }

  @Test
  void events_oneLineEach_indexFilters() {
    agent.plane.apply(new ControlCommand.AppendEvent("deploy", "node-2", bytes("v1")));
    long after = agent.plane.view().index();
    agent.plane.apply(new ControlCommand.AppendEvent("deploy", "node-2", bytes("v2")));

    assertThat(agent.cli("events", "--index", Long.toString(after))).isZero();

    assertThat(agent.out.toString().lines())
        .singleElement()
        .asString()
        .startsWith((after + 1) + "  ")
        .endsWith("  deploy  node-2  v2");
  }

  @Test
  void events_json_oneObjectALine() throws Exception {
    agent.plane.apply(new ControlCommand.AppendEvent("deploy", "node-2", bytes("v1")));

    assertThat(agent.cli("events", "--json", "--name", "deploy")).isZero();

    JsonNode event = new ObjectMapper().readTree(agent.out.toString().lines().findFirst().get());
    assertThat(event.get("Name").asText()).isEqualTo("deploy");
  }

  @Test
  void events_follow_printsNewEventsAsTheyCome() throws Exception {
    agent.plane.apply(new ControlCommand.AppendEvent("old", "node-2", bytes("a")));
    long after = agent.plane.view().index();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread follower =
        new Thread(
            () -> exit.set(agent.cli("events", "--follow", "--index", Long.toString(after))),
            "events-follow");
    follower.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.plane.pendingWaits() == 1);

    agent.plane.apply(new ControlCommand.AppendEvent("deploy", "node-2", bytes("live")));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> agent.out.toString().contains("deploy  node-2  live"));
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.plane.pendingWaits() == 1);
    assertThat(agent.out.toString()).doesNotContain("  old  ");
    follower.interrupt();
    follower.join(10_000);
    assertThat(follower.isAlive()).isFalse();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
