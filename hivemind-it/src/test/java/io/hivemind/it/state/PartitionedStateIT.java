package io.hivemind.it.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.StateKeys;
import io.hivemind.core.control.CommittedPartitionTable;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.PartitionMembers;
import io.hivemind.core.partition.MigrationRound;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.it.LoopbackAgents;
import io.hivemind.server.agent.Agent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 13's end-to-end test of the partitioned store, on real sockets: three control agents in
 * this JVM (127.0.0.1 to .3) and plain agents as separate processes started by the launcher
 * (127.0.0.4 and up), so that a crash is a real {@code kill -9} and a leave a real SIGTERM. Every
 * agent is a host of its own, so every partition has an owner and one backup on two hosts. The
 * tests share the cluster and run in order; every write the store acknowledged is remembered, and
 * each test ends by reading all of them back through another agent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartitionedStateIT {

  private static final Logger log = LoggerFactory.getLogger(PartitionedStateIT.class);

  /** Forming, admitting five members and migrating to their table, on a busy 2-core machine. */
  private static final Duration SETTLING = Duration.ofSeconds(150);

  private static final String CLUSTER = "it-partitioned-state";
  private static final String MAP = "sessions";
  private static final Path LAUNCHER = Path.of("..", "hivemind").toAbsolutePath().normalize();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path root;
  private static final Map<String, Agent> controls = new LinkedHashMap<>();
  private static final Map<String, Process> processes = new LinkedHashMap<>();
  private static final Map<String, String> httpOf = new LinkedHashMap<>();

  /** Every acknowledged write: key → value (the last acknowledged one). */
  private static final Map<String, String> acknowledged = new ConcurrentHashMap<>();

  @BeforeAll
  static void startCluster() throws IOException {
    startControl("c1", "127.0.0.1");
    startControl("c2", "127.0.0.2");
    startControl("c3", "127.0.0.3");
    startPlain("p1", "127.0.0.4");
    startPlain("p2", "127.0.0.5");
    awaitSettled(5, SETTLING);
  }

  @AfterAll
  static void stopCluster() {
    processes.values().forEach(Process::destroyForcibly);
    controls.values().forEach(Agent::close);
  }

  @Test
  @Order(1)
  void writesWithOneBackup_aRequestToANonOwnerIsForwarded() throws Exception {
    PartitionTable table = table();
    assertThat(table.members()).hasSize(5);
    Map<String, Integer> owners = new LinkedHashMap<>();
    for (int p = 0; p < table.partitionCount(); p++) {
      owners.merge(nameOf(table.owner(p).orElseThrow()).orElse("?"), 1, Integer::sum);
    }
    log.info("owners by member in table {}: {}", table.version(), owners);
    for (int p = 0; p < table.partitionCount(); p++) {
      assertThat(table.replicas().get(p)).as("partition %d", p).hasSize(2);
    }
    List<String> names = List.of("c1", "c2", "c3", "p1", "p2");
    for (int i = 0; i < 500; i++) {
      put(names.get(i % names.size()), "k" + i, "v" + i);
    }

    // A key p1 owns, asked of c1: forwarded, and the answer names p1 as the owner. The table
    // may still rebalance owners after it settled: the key is picked again if its owner moved.
    String p1 = id("p1");
    String key = keyOwnedBy(table(), p1);
    HttpResponse<String> get = send("c1", "GET", key, null, Map.of());
    for (int retry = 0;
        retry < 5 && !get.headers().firstValue("X-Hivemind-Owner").orElse("").equals(p1);
        retry++) {
      key = keyOwnedBy(table(), p1);
      get = send("c1", "GET", key, null, Map.of());
    }
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(acknowledged.get(key));
    assertThat(get.headers().firstValue("X-Hivemind-Forwarded")).contains("true");
    assertThat(get.headers().firstValue("X-Hivemind-Owner")).contains(p1);
    readEveryAcknowledgedWrite("c2");
  }

  @Test
  @Order(2)
  void killNineTheOwnerOfSomeKeys_everyAcknowledgedWriteIsReadAfterPromotion() throws Exception {
    PartitionTable before = table();
    String victim = id("p1");
    long owned =
        acknowledged.keySet().stream().filter(k -> owner(before, k).equals(victim)).count();
    assertThat(owned).as("keys p1 owns").isPositive();

    long killed = System.nanoTime();
    processes.remove("p1").destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
    await()
        .atMost(SETTLING)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !table().membersById().containsKey(victim));
    PartitionTable promoted = table();
    log.info(
        "FIGURE kill -9 of the owner of {} keys -> table {} without it after {} ms",
        owned,
        promoted.version(),
        (System.nanoTime() - killed) / 1_000_000);
    // Promotion: each partition p1 owned is owned by its former first backup, no data moved.
    for (int p = 0; p < before.partitionCount(); p++) {
      if (before.owner(p).orElseThrow().equals(victim)) {
        assertThat(promoted.owner(p))
            .as("partition %d", p)
            .contains(before.replicas().get(p).get(1));
      }
    }
    readEveryAcknowledgedWrite("c3");
    awaitSettled(4, SETTLING);
    readEveryAcknowledgedWrite("p2");
  }

  @Test
  @Order(3)
  void aWriteRoutedByAStaleTableIsRefused_andPointsToTheOwner() throws Exception {
    // After the crash the tables balanced owners again: find a key whose owner in an older table
    // is alive but no longer owns it, and write it once so its value is known.
    PartitionTable now = table();
    String key = null;
    String staleOwner = null;
    long staleVersion = 0;
    for (int i = 0; key == null && i < 100_000; i++) {
      String candidate = "moved" + i;
      for (PartitionTable old : history.values()) {
        Optional<String> then = nameOf(owner(old, candidate)).filter(httpOf::containsKey);
        if (then.isPresent()
            && alive(then.get())
            && !owner(old, candidate).equals(owner(now, candidate))) {
          key = candidate;
          staleOwner = then.get();
          staleVersion = old.version();
          break;
        }
      }
    }
    assertThat(key).as("a key whose owner changed while its old owner stayed").isNotNull();
    put("c1", key, "current");

    HttpResponse<String> refused =
        send(
            staleOwner,
            "PUT",
            key,
            "stale write",
            Map.of("X-Hivemind-Table-Version", Long.toString(staleVersion)));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.body()).contains("state_moved");
    assertThat(refused.headers().firstValue("X-Hivemind-Owner")).contains(owner(now, key));
    HttpResponse<String> get = send("c2", "GET", key, null, Map.of());
    assertThat(get.body()).as("the refused write changed nothing").isEqualTo("current");
  }

  @Test
  @Order(4)
  void anAgentJoinsDuringAWriteLoad_noAcknowledgedWriteIsLost() throws Exception {
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger written = new AtomicInteger();
    List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> through = List.of("c1", "c2", "c3", "p2");
    Thread load =
        new Thread(
            () -> {
              // A refused write may still have landed: its key leaves the check and the load.
              java.util.Set<String> uncertain = new java.util.HashSet<>();
              for (int i = 0; writing.get(); i++) {
                String key = "join" + (i % 2_000);
                if (uncertain.contains(key)) {
                  continue;
                }
                String value = "w" + i;
                String failure;
                try {
                  HttpResponse<String> put =
                      send(through.get(i % through.size()), "PUT", key, value, Map.of());
                  if (put.statusCode() == 200) {
                    acknowledged.put(key, value);
                    written.incrementAndGet();
                    continue;
                  }
                  failure = put.statusCode() + " " + put.body();
                } catch (IOException e) {
                  failure = e.toString();
                } catch (InterruptedException e) {
                  return;
                }
                refused.add(key + ": " + failure);
                uncertain.add(key);
                acknowledged.remove(key);
              }
            },
            "join-load");
    load.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> written.get() >= 200);
      long started = System.nanoTime();
      startPlain("p3", "127.0.0.6");
      awaitSettled(5, SETTLING);
      log.info(
          "FIGURE join of p3 under a write load: table settled with it {} ms after its start",
          (System.nanoTime() - started) / 1_000_000);
    } finally {
      writing.set(false);
      load.join(60_000);
    }
    log.info(
        "join load: {} writes acknowledged, {} refused (first: {})",
        written.get(),
        refused.size(),
        refused.isEmpty() ? "-" : refused.get(0));
    assertThat(held(table(), id("p3"))).as("replicas on the joiner").isPositive();
    readEveryAcknowledgedWrite("p3");
  }

  @Test
  @Order(5)
  void aGracefulLeaveMovesEverythingOffTheLeaver_andLosesNothing() throws Exception {
    String leaver = id("p2");
    assertThat(held(table(), leaver)).isPositive();
    // Every table c1 applies while the leave runs: the last one naming the leaver says what it
    // still held when it went (a listener sees each commit; sampling could miss the last).
    AtomicInteger lastHeld = new AtomicInteger(-1);
    AtomicBoolean watching = new AtomicBoolean(true);
    controls
        .get("c1")
        .control()
        .addListener(
            view ->
                view.partitionTable()
                    .filter(committed -> watching.get())
                    .map(CommittedPartitionTable::table)
                    .filter(t -> t.membersById().containsKey(leaver))
                    .ifPresent(t -> lastHeld.set(held(t, leaver))));
    lastHeld.set(held(table(), leaver));
    long started = System.nanoTime();
    Process p2 = processes.remove("p2");
    p2.destroy(); // SIGTERM: the launcher's hook leaves gracefully, draining first
    assertThat(p2.waitFor(120, TimeUnit.SECONDS)).as("p2 exits").isTrue();
    long leftMillis = (System.nanoTime() - started) / 1_000_000;
    watching.set(false);
    log.info(
        "FIGURE graceful leave of p2: exited {} ms after SIGTERM with code {}; replicas it held"
            + " in the last table naming it: {}",
        leftMillis,
        p2.exitValue(),
        lastHeld.get());
    assertThat(
            Files.readString(
                Path.of(System.getProperty("state.logs", root.toString())).resolve("p2.log")))
        .contains("left the cluster");
    assertThat(lastHeld.get()).as("replicas left on p2 when it went").isZero();
    await()
        .atMost(SETTLING)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !table().membersById().containsKey(leaver));
    readEveryAcknowledgedWrite("c3");
  }

  // ---- fixtures ---------------------------------------------------------------------------

  /** Tables seen settled, by version: the stale-routing test looks back at them. */
  private static final Map<Long, PartitionTable> history = new LinkedHashMap<>();

  private static void readEveryAcknowledgedWrite(String through) throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, String> write : acknowledged.entrySet()) {
      HttpResponse<String> get = send(through, "GET", write.getKey(), null, Map.of());
      if (get.statusCode() != 200 || !get.body().equals(write.getValue())) {
        wrong.add(write.getKey() + " -> " + get.statusCode() + " " + get.body());
      }
    }
    assertThat(wrong).as("acknowledged writes not read back through %s", through).isEmpty();
    log.info("{} acknowledged writes read back through {}", acknowledged.size(), through);
  }

  private static void put(String agent, String key, String value) throws Exception {
    HttpResponse<String> put = send(agent, "PUT", key, value, Map.of());
    assertThat(put.statusCode()).as("put %s through %s: %s", key, agent, put.body()).isEqualTo(200);
    acknowledged.put(key, value);
  }

  private static HttpResponse<String> send(
      String agent, String method, String key, String body, Map<String, String> headers)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://" + httpOf.get(agent) + "/v1/state/" + MAP + "/" + key);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Waits until c1's table names {@code members} members, every partition fully replicated (each
   * agent is a host of its own), nothing in flight, the leader's planning round has nothing left to
   * change (owners balanced), and every control agent applies it.
   */
  private static void awaitSettled(int members, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Optional<CommittedPartitionTable> committed =
                  controls.get("c1").control().view().partitionTable();
              logProgress(committed);
              if (committed.isEmpty()
                  || committed.get().table().members().size() != members
                  || !committed.get().inFlight().isEmpty()) {
                return false;
              }
              PartitionTable table = committed.get().table();
              int wanted = Math.min(table.backupCount() + 1, members);
              if (table.replicas().stream().anyMatch(r -> r.size() != wanted)) {
                return false; // a round that admitted members starts their fills in the next
              }
              long version = table.version();
              for (Agent agent : controls.values()) {
                Optional<CommittedPartitionTable> other = agent.control().view().partitionTable();
                if (other.isEmpty() || other.get().table().version() != version) {
                  return false;
                }
              }
              // Settled once the leader's planning round has nothing left to do: owners are
              // balanced by rounds that may pause for seconds, so a table standing still for a
              // while is no proof.
              ControlView view = controls.get("c1").control().view();
              MigrationRound.Result round =
                  MigrationRound.next(
                      table,
                      List.of(),
                      PartitionMembers.of(view.members()),
                      new java.util.HashSet<>(committed.get().draining()),
                      table.partitionCount(),
                      table.backupCount(),
                      MigrationRound.DEFAULT_MAX_IN_FLIGHT);
              if (round.changes(table)) {
                return false;
              }
              history.put(version, table);
              return true;
            });
  }

  private static long lastProgressLog;

  /** Every 10 s while waiting: where the migration stands, for a run that does not settle. */
  private static void logProgress(Optional<CommittedPartitionTable> committed) {
    long now = System.nanoTime();
    if (committed.isEmpty() || now - lastProgressLog < TimeUnit.SECONDS.toNanos(10)) {
      return;
    }
    lastProgressLog = now;
    CommittedPartitionTable c = committed.get();
    Map<String, Long> byDestination = new java.util.TreeMap<>();
    c.inFlight()
        .forEach(
            m ->
                byDestination.merge(
                    nameOf(String.valueOf(m.destination())).orElse("?"), 1L, Long::sum));
    long under =
        c.table().replicas().stream()
            .filter(
                r -> r.size() < Math.min(c.table().backupCount() + 1, c.table().members().size()))
            .count();
    log.info(
        "waiting: table {} with {} members, {} moves in flight (by destination {}), {} partitions"
            + " under-replicated; c1: node {}, moves caught up {}, messages {}",
        c.table().version(),
        c.table().members().size(),
        c.inFlight().size(),
        byDestination,
        under,
        controls.get("c1").state().stats().node(),
        controls.get("c1").state().stats().movesCaughtUp(),
        controls.get("c1").state().stats().messages());
  }

  private static PartitionTable table() {
    return controls.get("c1").control().view().partitionTable().orElseThrow().table();
  }

  private static String owner(PartitionTable table, String key) {
    return table.owner(StateKeys.partition(MAP, key, table.partitionCount())).orElse("");
  }

  private static String keyOwnedBy(PartitionTable table, String id) {
    return acknowledged.keySet().stream()
        .filter(k -> owner(table, k).equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static int held(PartitionTable table, String id) {
    return (int) table.replicas().stream().filter(r -> r.contains(id)).count();
  }

  private static String id(String name) {
    return controls.get("c1").control().view().members().stream()
        .filter(m -> m.name().equals(name))
        .map(ControlMember::id)
        .findFirst()
        .orElseThrow();
  }

  private static boolean alive(String name) {
    return controls.containsKey(name) || processes.containsKey(name);
  }

  private static Optional<String> nameOf(String id) {
    return controls.get("c1").control().view().members().stream()
        .filter(m -> m.id().equals(id))
        .map(ControlMember::name)
        .findFirst();
  }

  private static void startControl(String name, String host) {
    List<String> seeds = controls.values().stream().map(a -> a.gossipAddress().toString()).toList();
    Agent agent =
        LoopbackAgents.start(root, CLUSTER, "lan", name, host, List.of("control"), 3, seeds);
    controls.put(name, agent);
    httpOf.put(name, agent.httpUri().getAuthority());
  }

  /** A plain agent as a process of the launcher, logging to {@code root/<name>.log}. */
  private static void startPlain(String name, String host) throws IOException {
    String http = at(host);
    List<String> command =
        List.of(
            LAUNCHER.toString(),
            "agent",
            "--node",
            name,
            "--env",
            "testing",
            "--cluster",
            CLUSTER,
            "--bind",
            at(host),
            "--http-bind",
            http,
            "--data-dir",
            Files.createDirectories(root.resolve(name)).toString(),
            "--role",
            "host",
            "--profile",
            "lan",
            "--seed",
            controls.get("c1").gossipAddress().toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    // The control nodes' heap and C2, not the launcher's footprint flags (C1 only): with those, the
    // migration to five members on a 2-core machine had not converged after 150 s (open in
    // docs/benchmarks.md, "Partitioned state: what is open").
    builder.environment().put("HIVEMIND_JAVA_OPTS", "-XX:+UseSerialGC -Xms64m -Xmx256m -Xmn24m");
    Process process =
        builder
            .redirectErrorStream(true)
            .redirectOutput(
                Path.of(System.getProperty("state.logs", root.toString()))
                    .resolve(name + ".log")
                    .toFile())
            .start();
    processes.put(name, process);
    httpOf.put(name, http);
  }

  private static String at(String host) {
    return LoopbackAgents.at(host);
  }
}
