package io.hivemind.it.partition;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.PartitionTableInfo;
import io.hivemind.cli.HivemindCommand;
import io.hivemind.client.HivemindClient;
import io.hivemind.core.control.CommittedPartitionTable;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.it.LoopbackAgents;
import io.hivemind.server.agent.Agent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
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
 * The partition table committed through the control log (issue 13), on real sockets: three control
 * agents and one plain agent in this JVM, each on a loopback address of its own (127.0.0.1 to
 * 127.0.0.4), so each is a host of its own and every partition can have its owner and backup on two
 * hosts. Every agent, the plain one through the follower feed, applies the same table; an agent
 * closed without leaving is removed, and the next table promotes its partitions' first backups. The
 * tests share one cluster and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartitionTableIT {

  private static final Logger log = LoggerFactory.getLogger(PartitionTableIT.class);

  /** Forming a group on a busy 2-core machine: gossip, then Ratis's first election. */
  private static final Duration FORMING = Duration.ofSeconds(90);

  /** A crash is committed as a removal after the removal rule's suspicion, then spreads. */
  private static final Duration REMOVED = Duration.ofSeconds(90);

  /** How often a long wait logs what every agent's control plane shows. */
  private static final Duration REPORT_EVERY = Duration.ofSeconds(15);

  @TempDir static Path root;
  private static final Map<String, Agent> agents = new LinkedHashMap<>();
  private static PartitionTable firstFull;

  @BeforeAll
  static void startCluster() {
    start("c1", "127.0.0.1", List.of("control"), 3);
    start("c2", "127.0.0.2", List.of("control"), 3);
    start("c3", "127.0.0.3", List.of("control"), 3);
    start("p1", "127.0.0.4", List.of("host"), null);
  }

  @AfterAll
  static void stopCluster() {
    agents.values().forEach(Agent::close);
  }

  @Test
  @Order(1)
  void allAdmitted_everyAgentAppliesTheSameTableOfThemAll_replicasOnTwoHosts() {
    long started = System.nanoTime();
    firstFull = awaitSameTableEverywhere(4, Optional.empty(), true);
    log.info(
        "FIGURE table of 4 members version {} on every agent {} ms after start",
        firstFull.version(),
        (System.nanoTime() - started) / 1_000_000);

    // Each agent's host is the loopback address it advertises.
    assertThat(firstFull.members())
        .extracting(PartitionMember::host)
        .containsExactlyInAnyOrder("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4");
    assertThat(firstFull.partitionCount()).isEqualTo(PartitionTable.DEFAULT_PARTITION_COUNT);
    assertThat(firstFull.backupCount()).isEqualTo(1);
    Map<String, PartitionMember> byId = firstFull.membersById();
    for (int p = 0; p < firstFull.partitionCount(); p++) {
      List<String> replicas = firstFull.replicas().get(p);
      assertThat(replicas).as("partition %d", p).hasSize(2);
      assertThat(byId.get(replicas.get(0)).host())
          .as("partition %d's replicas on two hosts", p)
          .isNotEqualTo(byId.get(replicas.get(1)).host());
    }

    // The plain agent's HTTP API answers from its follower replica: the same version and index.
    PartitionTableInfo info = HivemindClient.connect(agents.get("p1").httpUri()).partitions(7);
    CommittedPartitionTable committed =
        agents.get("c1").control().view().partitionTable().orElseThrow();
    assertThat(info.version()).isEqualTo(committed.table().version());
    assertThat(info.index()).isEqualTo(committed.index());
    assertThat(info.underReplicated()).isZero();
    assertThat(info.members()).hasSize(4);
    assertThat(info.partition().replicas()).isEqualTo(firstFull.replicas().get(7));

    // hivemind partitions against the plain agent: the text, and a clear error for a bad number.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String address = agents.get("p1").httpUri().getAuthority();
    int code =
        HivemindCommand.execute(
            new String[] {"partitions", "--partition", "7", "--http-addr", address},
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("Version:           " + info.version())
        .contains("Partition 7:       owner " + firstFull.replicas().get(7).get(0));
    int bad =
        HivemindCommand.execute(
            new String[] {"partitions", "--partition", "16384", "--http-addr", address},
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertThat(bad).isNotZero();
    assertThat(err.toString()).contains("partition 16384 does not exist");
  }

  @Test
  @Order(2)
  void plainAgentClosedWithoutLeaving_nextTablePromotesItsPartitionsFirstBackups() {
    String p1 = agents.get("p1").admission().orElseThrow().memberId();
    // Every table c1 applies from now on, in order: the agents' state planes complete moves at
    // once (no data), so by the time every agent agrees on a table without p1 the leader may have
    // committed later, rebalancing ones; the promotion is in the first one.
    List<PartitionTable> applied = new CopyOnWriteArrayList<>();
    agents
        .get("c1")
        .control()
        .addListener(
            view ->
                view.partitionTable()
                    .map(CommittedPartitionTable::table)
                    .filter(
                        t ->
                            applied.isEmpty()
                                || applied.get(applied.size() - 1).version() != t.version())
                    .ifPresent(applied::add));
    applied.add(agents.get("c1").control().view().partitionTable().orElseThrow().table());
    Agent closed = agents.remove("p1");
    long closedAt = System.nanoTime();
    closed.close(); // no leave: to the others, a crash

    PartitionTable agreed = awaitSameTableEverywhere(3, Optional.of(p1), false);
    log.info(
        "FIGURE p1 closed -> table version {} without it on every agent {} ms",
        agreed.version(),
        (System.nanoTime() - closedAt) / 1_000_000);

    int firstWithout = 0;
    while (applied.get(firstWithout).membersById().containsKey(p1)) {
      firstWithout++;
    }
    PartitionTable last = applied.get(firstWithout - 1);
    PartitionTable next = applied.get(firstWithout);
    assertThat(next.version()).isGreaterThan(last.version());
    int owned = 0;
    for (int p = 0; p < next.partitionCount(); p++) {
      List<String> before = last.replicas().get(p);
      assertThat(next.replicas().get(p)).as("partition %d", p).doesNotContain(p1);
      if (!before.isEmpty() && before.get(0).equals(p1) && before.size() > 1) {
        owned++;
        assertThat(next.owner(p)).as("partition %d promoted", p).contains(before.get(1));
      }
    }
    assertThat(owned).as("p1 owned partitions before").isPositive();
  }

  // ---- fixtures ---------------------------------------------------------------------------

  /**
   * Waits until every running agent holds the same committed table, made for {@code members}
   * members and (when given) without {@code absent}; returns it. When {@code converged}, also
   * completes moves as they start and waits until the migration is over: no move in flight, every
   * partition fully replicated and every member an owner, for 3 s on end.
   */
  private static PartitionTable awaitSameTableEverywhere(
      int members, Optional<String> absent, boolean converged) {
    ConditionFactory wait = await().atMost(FORMING.plus(REMOVED)).pollInterval(200, MILLISECONDS);
    if (converged) {
      wait = wait.during(Duration.ofSeconds(3));
    }
    long waitStarted = System.nanoTime();
    long[] lastReport = {waitStarted};
    wait =
        wait.conditionEvaluationListener(
            condition -> {
              long now = System.nanoTime();
              if (now - lastReport[0] > REPORT_EVERY.toNanos()) {
                lastReport[0] = now;
                log.info(
                    "still waiting after {} s:{}",
                    (now - waitStarted) / 1_000_000_000,
                    LoopbackAgents.describe(agents));
              }
            });
    try {
      awaitTable(wait, members, absent, converged);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no agreed table; the agents:" + LoopbackAgents.describe(agents), e);
    }
    return agents.values().iterator().next().control().view().partitionTable().get().table();
  }

  private static void awaitTable(
      ConditionFactory wait, int members, Optional<String> absent, boolean converged) {
    wait.until(
        () -> {
          Set<Optional<CommittedPartitionTable>> tables = new HashSet<>();
          for (Agent agent : agents.values()) {
            tables.add(agent.control().view().partitionTable());
          }
          if (tables.size() != 1) {
            return false;
          }
          Optional<CommittedPartitionTable> table = tables.iterator().next();
          if (converged) {
            table.ifPresent(PartitionTableIT::completeMoves);
          }
          return table.isPresent()
              && table.get().table().members().size() == members
              && absent.map(id -> !table.get().table().membersById().containsKey(id)).orElse(true)
              && (!converged
                  || table.get().inFlight().isEmpty() && fullyReplicated(table.get().table()));
        });
  }

  /**
   * Every partition has B + 1 replicas (each agent here is a host of its own) and every member owns
   * some: a joined member owns partitions only once moves to it have completed.
   */
  private static boolean fullyReplicated(PartitionTable table) {
    int wanted = Math.min(table.backupCount() + 1, table.members().size());
    Set<String> owners = new HashSet<>();
    for (List<String> list : table.replicas()) {
      if (list.size() != wanted) {
        return false;
      }
      owners.add(list.get(0));
    }
    return owners.size() == table.members().size();
  }

  /**
   * Stands in for the data plane, which is not wired to this test: with no data in the cluster
   * every move's destination has caught up at once, so its completion is reported at once (the
   * state plane's owners report it themselves, {@code StateOutput.movesCaughtUp}). A repeated
   * report is a no-op, so reporting on every poll is harmless.
   */
  private static void completeMoves(CommittedPartitionTable committed) {
    if (!committed.inFlight().isEmpty()) {
      agents
          .values()
          .iterator()
          .next()
          .control()
          .submit(
              new ControlCommand.CompleteMoves(
                  committed.table().version(), committed.movesInFlight()));
    }
  }

  private static void start(String name, String host, List<String> roles, Integer expect) {
    List<String> seeds = agents.values().stream().map(a -> a.gossipAddress().toString()).toList();
    agents.put(
        name,
        LoopbackAgents.start(root, "it-partitions", "local", name, host, roles, expect, seeds));
  }

  /** A fresh port on {@code host}, one of the loopback addresses (FreePorts probes 127.0.0.1). */
  private static String at(String host) {
    return LoopbackAgents.at(host);
  }
}
