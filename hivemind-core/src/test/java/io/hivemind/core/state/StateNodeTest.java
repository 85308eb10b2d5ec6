package io.hivemind.core.state;

import static io.hivemind.core.state.TestCluster.bytes;
import static io.hivemind.core.state.TestCluster.keyIn;
import static io.hivemind.core.state.TestCluster.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import io.hivemind.core.state.StateResult.UnavailableReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateNodeTest {

  private static final String K0 = keyIn(0, 2);
  private static final String K1 = keyIn(1, 2);
  private static final String OLD = otherKeyIn0();

  private static String otherKeyIn0() {
    for (int i = 0; ; i++) {
      String key = "old" + i;
      if (io.hivemind.api.StateKeys.partition("m", key, 2) == 0) {
        return key;
      }
    }
  }

  /** p0 owned by a (backup b), p1 owned by b (backup a). */
  private static PartitionTable ab(long version) {
    return table(version, 1, List.of(List.of("a", "b"), List.of("b", "a")));
  }

  private static TestCluster twoNodes() {
    TestCluster c = new TestCluster("a", "b");
    c.table(ab(1), List.of());
    c.lease();
    return c;
  }

  private static StateOp put(String key, String value) {
    return new StateOp.Put("m", key, bytes(value), 0);
  }

  @Test
  void write_withoutLease_refusedNoLease() {
    TestCluster c = new TestCluster("a", "b");
    c.table(ab(1), List.of());
    long id = c.request("a", put(K0, "x"), 0);
    assertThat(c.reply("a", id))
        .isInstanceOfSatisfying(
            StateResult.Unavailable.class,
            u -> assertThat(u.code()).isEqualTo(UnavailableReason.NO_LEASE));
  }

  @Test
  void read_withoutLease_servedByOwner() {
    TestCluster c = twoNodes();
    long w = c.request("a", put(K0, "x"), 1);
    c.deliver();
    c.advance(10_000); // the lease lapses
    long r = c.request("a", new StateOp.Get("m", K0), 1);
    assertThat(c.reply("a", w)).isInstanceOf(StateResult.Written.class);
    assertThat(c.reply("a", r)).isInstanceOf(StateResult.Found.class);
  }

  @Test
  void request_beforeAnyTable_answersNoTable() {
    TestCluster c = new TestCluster("a");
    long id = c.request("a", new StateOp.Get("m", "k"), 0);
    assertThat(((StateResult.Unavailable) c.reply("a", id)).code())
        .isEqualTo(UnavailableReason.NO_TABLE);
  }

  @Test
  void write_acknowledgedOnlyOnceTheBackupAcked() {
    TestCluster c = twoNodes();
    long id = c.request("a", put(K0, "x"), 1);
    assertThat(c.reply("a", id)).isNull();
    c.deliver();
    assertThat(c.reply("a", id)).isInstanceOf(StateResult.Written.class);
    assertThat(c.node("b").peek("m", K0, c.now).value()).isEqualTo(bytes("x"));
  }

  @Test
  void write_backupNeverAcks_answersBackupTimeout() {
    TestCluster c = twoNodes();
    long id = c.request("a", put(K0, "x"), 1);
    c.deliver(s -> s.to().equals("a")); // every answer from b is lost
    c.advance(1_000);
    assertThat(((StateResult.Unavailable) c.reply("a", id)).code())
        .isEqualTo(UnavailableReason.BACKUP_TIMEOUT);
  }

  @Test
  void write_routedToNonOwner_redirectsToOwnerInItsTable() {
    TestCluster c = twoNodes();
    long id = c.request("b", put(K0, "x"), 1);
    assertThat(c.reply("b", id)).isEqualTo(new StateResult.Redirect("a", 1));
  }

  @Test
  void write_unrouted_forwardedToOwner_andRelayed() {
    TestCluster c = twoNodes();
    long id = c.request("b", put(K0, "x"), 0);
    c.deliver();
    assertThat(c.reply("b", id)).isInstanceOf(StateResult.Written.class);
    long get = c.request("b", new StateOp.Get("m", K0), 0);
    c.deliver();
    assertThat(((StateResult.Found) c.reply("b", get)).value()).isEqualTo(bytes("x"));
  }

  @Test
  void write_callerKnowsNewerTable_heldUntilItArrives() {
    TestCluster c = twoNodes();
    long id = c.request("a", put(K0, "x"), 2);
    c.deliver();
    assertThat(c.reply("a", id)).isNull();
    // In table 2 b owns p0: a must redirect, not write as the stale owner.
    c.table(table(2, 1, List.of(List.of("b", "a"), List.of("b", "a"))), List.of());
    assertThat(c.reply("a", id)).isEqualTo(new StateResult.Redirect("b", 2));
  }

  @Test
  void write_callerKnowsNewerTable_timesOutWhenItNeverArrives() {
    TestCluster c = twoNodes();
    long id = c.request("a", put(K0, "x"), 5);
    c.advance(1_000);
    assertThat(((StateResult.Unavailable) c.reply("a", id)).code())
        .isEqualTo(UnavailableReason.TIMEOUT);
  }

  @Test
  void forward_redirected_retriedAtNewOwnerOnceTableCaughtUp() {
    TestCluster c = new TestCluster("a", "b", "c");
    PartitionTable t1 = table(1, 1, List.of(List.of("a", "b"), List.of("b", "a")));
    PartitionTable t2 = table(2, 1, List.of(List.of("b", "a"), List.of("b", "a")));
    c.node("c").onTable(t1, List.of(), c.now);
    c.node("a").onTable(t2, List.of(), c.now);
    c.node("b").onTable(t2, List.of(), c.now);
    c.lease();
    long id = c.request("c", put(K0, "x"), 0);
    c.deliver(); // a redirects to b at version 2; c waits for table 2
    assertThat(c.reply("c", id)).isNull();
    c.node("c").onTable(t2, List.of(), c.now);
    c.deliver();
    assertThat(c.reply("c", id)).isInstanceOf(StateResult.Written.class);
    assertThat(c.node("b").peek("m", K0, c.now)).isNotNull();
  }

  @Test
  void forward_ownerSilent_answersTimeout() {
    TestCluster c = twoNodes();
    long id = c.request("b", put(K0, "x"), 0);
    c.deliver(s -> true);
    c.advance(1_000);
    assertThat(((StateResult.Unavailable) c.reply("b", id)).code())
        .isEqualTo(UnavailableReason.TIMEOUT);
  }

  @Test
  void forward_ownerUnreachable_answersAtOnce() {
    TestCluster c = twoNodes();
    long id = c.request("b", put(K0, "x"), 0);
    c.node("b").onPeerUnreachable("a", c.now);
    assertThat(((StateResult.Unavailable) c.reply("b", id)).code())
        .isEqualTo(UnavailableReason.TIMEOUT);
  }

  @Test
  void requests_beyondTheBound_answerOverloaded() {
    StateConfig small = new StateConfig(1, 1_000, 2, 1024, 2);
    TestCluster c = new TestCluster(small, "a", "b");
    c.table(ab(1), List.of());
    c.lease();
    c.request("a", put(K0, "1"), 1);
    c.request("a", put(K0, "2"), 1);
    long third = c.request("a", put(K0, "3"), 1);
    assertThat(((StateResult.Unavailable) c.reply("a", third)).code())
        .isEqualTo(UnavailableReason.OVERLOADED);
  }

  @Test
  void compareAndSet_matchesVersion_elseConflict() {
    TestCluster c = twoNodes();
    long first = c.request("a", new StateOp.CompareAndSet("m", K0, 0, bytes("1"), 0), 1);
    c.deliver();
    long version = ((StateResult.Written) c.reply("a", first)).version();
    long stale = c.request("a", new StateOp.CompareAndSet("m", K0, 0, bytes("2"), 0), 1);
    long fresh = c.request("a", new StateOp.CompareAndSet("m", K0, version, bytes("3"), 0), 1);
    c.deliver();
    assertThat(c.reply("a", stale)).isEqualTo(new StateResult.Conflict(version));
    assertThat(((StateResult.Written) c.reply("a", fresh)).version()).isGreaterThan(version);
    assertThat(c.node("b").peek("m", K0, c.now).value()).isEqualTo(bytes("3"));
  }

  @Test
  void delete_replicated_andOfAbsentKeyReportsNotExisted() {
    TestCluster c = twoNodes();
    c.request("a", put(K0, "x"), 1);
    long del = c.request("a", new StateOp.Delete("m", K0), 1);
    c.deliver();
    long again = c.request("a", new StateOp.Delete("m", K0), 1);
    assertThat(c.reply("a", del)).isEqualTo(new StateResult.Deleted(true));
    assertThat(c.reply("a", again)).isEqualTo(new StateResult.Deleted(false));
    assertThat(c.node("b").peek("m", K0, c.now)).isNull();
  }

  @Test
  void ttl_expiredEntryAbsentOnEveryReplica_andPurged() {
    TestCluster c = twoNodes();
    c.request("a", new StateOp.Put("m", K0, bytes("x"), 500), 1);
    c.deliver();
    assertThat(c.node("b").peek("m", K0, c.now).expiresAtMillis()).isEqualTo(c.now + 500);
    c.advance(499);
    long live = c.request("a", new StateOp.Get("m", K0), 1);
    c.advance(1);
    long gone = c.request("a", new StateOp.Get("m", K0), 1);
    assertThat(c.reply("a", live)).isInstanceOf(StateResult.Found.class);
    assertThat(c.reply("a", gone)).isInstanceOf(StateResult.Absent.class);
    assertThat(c.node("b").peek("m", K0, c.now)).isNull();
    c.advance(StateNode.PURGE_INTERVAL_MILLIS);
    assertThat(c.node("a").stats().entries()).isZero();
    assertThat(c.node("b").stats().entries()).isZero();
  }

  @Test
  void backup_duplicate_ackedAgain_notAppliedTwice() {
    TestCluster c = twoNodes();
    c.request("a", put(K0, "x"), 1);
    c.deliver();
    StateMessage.Backup backup = backupTo("b", c.log);
    c.node("b").onMessage("a", backup, c.now);
    assertThat(c.queue.poll().message()).isEqualTo(new StateMessage.BackupAck(0, 1));
  }

  @Test
  void backup_gap_answeredWithGap_andOwnerResendsSnapshot() {
    TestCluster c = twoNodes();
    c.request("a", put(K0, "1"), 1);
    c.deliver();
    c.request("a", put(K0, "2"), 1);
    c.deliver(s -> s.message() instanceof StateMessage.Backup); // b misses write 2
    long third = c.request("a", put(K0, "3"), 1);
    c.deliver();
    assertThat(c.log.stream().map(Sent -> Sent.message()))
        .contains(new StateMessage.BackupGap(0, 1));
    assertThat(c.reply("a", third)).isInstanceOf(StateResult.Written.class);
    assertThat(c.node("b").sequence(0)).isEqualTo(3);
    assertThat(c.node("b").peek("m", K0, c.now).value()).isEqualTo(bytes("3"));
  }

  @Test
  void backup_fromStaleOwner_refusedByReplicaWithNewerTable() {
    TestCluster c = twoNodes();
    // b learns table 2 (it owns p0 now), a still applies table 1 and holds a lease.
    c.node("b")
        .onTable(table(2, 1, List.of(List.of("b", "a"), List.of("b", "a"))), List.of(), c.now);
    long id = c.request("a", put(K0, "x"), 1);
    c.deliver();
    assertThat(c.log.stream().map(s -> s.message())).contains(new StateMessage.BackupRefused(0, 2));
    assertThat(c.reply("a", id)).isInstanceOf(StateResult.Unavailable.class);
  }

  @Test
  void snapshot_replacesWhatTheDestinationHeld() {
    TestCluster c = new TestCluster("a", "b");
    c.table(ab(1), List.of());
    StateNode b = c.node("b");
    b.onMessage("a", new StateMessage.Backup(0, 1, 1, "m", OLD, bytes("o"), 0), c.now);
    b.onMessage(
        "a",
        new StateMessage.SnapshotChunk(
            0, 1, 7, 0, false, List.of(new StateEntry("m", K0, bytes("n"), 7, 0))),
        c.now);
    assertThat(b.peek("m", OLD, c.now)).as("kept until the last chunk").isNotNull();
    b.onMessage("a", new StateMessage.SnapshotChunk(0, 1, 7, 1, true, List.of()), c.now);
    assertThat(b.peek("m", OLD, c.now)).isNull();
    assertThat(b.peek("m", K0, c.now).version()).isEqualTo(7);
    assertThat(b.sequence(0)).isEqualTo(7);
  }

  @Test
  void migration_streamsSnapshot_reportsCaughtUp_destinationHoldsLaterWrites() {
    TestCluster c = new TestCluster(new StateConfig(1, 1_000, 100, 1024, 2), "a", "b", "c");
    c.table(ab(1), List.of());
    c.lease();
    for (int i = 0; i < 50; i++) {
      c.request("a", put(K0 + "-" + i, "v" + i), 0);
    }
    c.request("a", put(K0, "before"), 1);
    c.deliver();
    PartitionMove move = new PartitionMove(0, 1, "b", "c");
    c.table(table(2, 1, List.of(List.of("a", "b"), List.of("b", "a"))), List.of(move));
    long during = c.request("a", put(K0, "during"), 2);
    c.deliver();
    assertThat(c.caughtUp.get("a")).containsExactly(move);
    assertThat(c.reply("a", during)).isInstanceOf(StateResult.Written.class);
    assertThat(c.node("c").peek("m", K0, c.now).value()).isEqualTo(bytes("during"));
    long chunks =
        c.log.stream().filter(s -> s.message() instanceof StateMessage.SnapshotChunk).count();
    assertThat(chunks).as("1 KiB chunks").isGreaterThan(2);
    // The source deletes its copy only once the committed table no longer names it.
    assertThat(c.node("b").peek("m", K0, c.now)).isNotNull();
    c.table(table(3, 1, List.of(List.of("a", "c"), List.of("b", "a"))), List.of());
    assertThat(c.node("b").sequence(0)).isEqualTo(-1);
    assertThat(c.node("c").peek("m", K0, c.now).value()).isEqualTo(bytes("during"));
  }

  @Test
  void movesCaughtUp_repeatedWithLaterTables_whileStillInFlight() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.table(ab(1), List.of());
    PartitionMove move = new PartitionMove(0, 1, "b", "c");
    c.table(table(2, 1, List.of(List.of("a", "b"), List.of("b", "a"))), List.of(move));
    c.deliver();
    c.table(table(3, 1, List.of(List.of("a", "b"), List.of("b", "a"))), List.of(move));
    assertThat(c.caughtUp.get("a")).containsExactly(move, move);
    // And on ticks, so a lost proposal is repeated even when no table follows.
    assertThat(c.node("a").nextDeadlineMillis()).isLessThanOrEqualTo(c.now + 1_000);
    c.advance(1);
    c.advance(1_000);
    assertThat(c.caughtUp.get("a")).hasSizeGreaterThan(2).containsOnly(move);
  }

  @Test
  void aSecondRunOfAMove_theOwnerSkippedTheDropOf_isReportedOnlyAfterItsOwnSnapshot() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.table(ab(1), List.of());
    c.lease();
    c.request("a", put(K0, "kept"), 1);
    c.deliver();
    PartitionMove move = new PartitionMove(0, 1, "b", "c");
    List<List<String>> same = List.of(List.of("a", "b"), List.of("b", "a"));
    List<MoveInFlight> firstRun = List.of(new MoveInFlight(move, 2));
    for (String id : List.of("a", "b", "c")) {
      c.node(id).onTable(table(2, 1, same), firstRun, c.now);
    }
    c.deliver();
    assertThat(c.caughtUp.get("a")).containsExactly(move);
    // Version 3 drops the move; only c applies it, and deletes its copy. a skips it.
    c.node("c").onTable(table(3, 1, same), List.of(), c.now);
    assertThat(c.node("c").sequence(0)).isEqualTo(-1);
    c.caughtUp.get("a").clear();
    // Version 4 plans the same move again: a second run, which a must feed from the start.
    List<MoveInFlight> secondRun = List.of(new MoveInFlight(move, 4));
    for (String id : List.of("a", "b", "c")) {
      c.node(id).onTable(table(4, 1, same), secondRun, c.now);
    }
    assertThat(c.caughtUp.get("a")).as("reported before c holds the data again").isEmpty();
    c.deliver();
    assertThat(c.caughtUp.get("a")).containsExactly(move);
    assertThat(c.node("c").peek("m", K0, c.now).value()).isEqualTo(bytes("kept"));
  }

  @Test
  void aCopySentAtANewerTable_isKeptWhenAnOlderTableNotNamingItArrives() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.table(ab(1), List.of());
    c.lease();
    c.request("a", put(K0, "kept"), 1);
    c.deliver();
    PartitionMove move = new PartitionMove(0, 1, "b", "c");
    List<List<String>> same = List.of(List.of("a", "b"), List.of("b", "a"));
    // a and b apply version 3 (the move's run); c, lagging, still has version 1, then gets 2.
    for (String id : List.of("a", "b")) {
      c.node(id).onTable(table(3, 1, same), List.of(new MoveInFlight(move, 3)), c.now);
    }
    c.deliver();
    assertThat(c.caughtUp.get("a")).containsExactly(move);
    c.node("c").onTable(table(2, 1, same), List.of(), c.now);
    assertThat(c.node("c").peek("m", K0, c.now).value())
        .as("the copy a counted, kept until c's table catches up")
        .isEqualTo(bytes("kept"));
  }

  @Test
  void newOwner_resyncsBackups_beforeItsWritesCount() {
    TestCluster c = new TestCluster(new StateConfig(2, 1_000, 100, 1024, 2), "a", "b", "c");
    PartitionTable t1 = table(1, 2, List.of(List.of("a", "b", "c"), List.of("b", "a", "c")));
    c.table(t1, List.of());
    c.lease();
    c.request("a", put(K0, "1"), 1);
    c.deliver();
    c.request("a", put(K0, "2"), 1); // only c gets write 2, then a crashes
    c.deliver(s -> s.to().equals("b") || s.from().equals("c"));
    PartitionTable t2 = table(2, 2, List.of(List.of("b", "c"), List.of("b", "c")));
    c.nodes.remove("a");
    c.table(t2, List.of());
    long id = c.request("b", put(K0, "3"), 2);
    c.deliver();
    assertThat(c.reply("b", id)).isInstanceOf(StateResult.Written.class);
    assertThat(c.node("c").peek("m", K0, c.now).value()).isEqualTo(bytes("3"));
    assertThat(c.node("c").sequence(0)).isEqualTo(c.node("b").sequence(0));
  }

  @Test
  void manyPartitions_noAllocationBeforeData() {
    int count = PartitionTable.DEFAULT_PARTITION_COUNT;
    List<List<String>> replicas = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      replicas.add(p % 2 == 0 ? List.of("a", "b") : List.of("b", "a"));
    }
    TestCluster c = new TestCluster("a", "b");
    c.table(table(1, 1, replicas), List.of());
    assertThat(c.node("a").stats()).isEqualTo(new StateStats(1, count / 2, 0, 0, 0));
    c.lease();
    c.request("a", put(keyIn(0, count), "x"), 1);
    c.deliver();
    assertThat(c.node("a").stats().partitionsHeld()).isEqualTo(1);
    assertThat(c.node("b").stats().partitionsHeld()).isEqualTo(1);
  }

  @Test
  void olderTable_ignored() {
    TestCluster c = twoNodes();
    c.table(table(1, 1, List.of(List.of("b", "a"), List.of("b", "a"))), List.of());
    long id = c.request("a", put(K0, "x"), 1);
    c.deliver();
    assertThat(c.reply("a", id)).isInstanceOf(StateResult.Written.class);
    assertThat(K1).isNotEqualTo(K0);
  }

  @Test
  void streams_atMostMaxParallelAtOnce_restStartAsOthersFinish() {
    List<List<String>> before = new ArrayList<>();
    List<List<String>> same = new ArrayList<>();
    List<PartitionMove> moves = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      before.add(List.of("a"));
      same.add(List.of("a"));
      moves.add(new PartitionMove(p, 1, null, "b"));
    }
    TestCluster c = new TestCluster("a", "b"); // two parallel streams
    c.node("a").onTable(table(1, 1, before), List.of(), c.now);
    List<MoveInFlight> runs = c.runs(table(2, 1, same), moves);
    c.node("a").onTable(table(2, 1, same), runs, c.now);
    long started =
        c.queue.stream()
            .filter(s -> s.message() instanceof StateMessage.SnapshotChunk)
            .map(s -> ((StateMessage.SnapshotChunk) s.message()).partition())
            .distinct()
            .count();
    assertThat(started).isEqualTo(2);
    assertThat(c.node("a").stats().streaming()).isEqualTo(2);
    c.node("b").onTable(table(2, 1, same), runs, c.now);
    c.deliver();
    assertThat(c.caughtUp.get("a")).containsExactlyInAnyOrderElementsOf(moves);
    assertThat(c.node("a").stats().streaming()).isZero();
  }

  @Test
  void stream_unacked_sentAgainAfterTheTimeout() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.table(ab(1), List.of());
    PartitionMove move = new PartitionMove(0, 1, "b", "c");
    c.table(table(2, 1, List.of(List.of("a", "b"), List.of("b", "a"))), List.of(move));
    c.deliver(s -> s.to().equals("c")); // the first snapshot is lost
    assertThat(c.caughtUp.get("a")).isEmpty();
    c.advance(1_000);
    c.deliver();
    assertThat(c.caughtUp.get("a")).contains(move);
  }

  @Test
  void peerUnreachable_backupGetsSnapshotAgain() {
    TestCluster c = twoNodes();
    c.request("a", put(K0, "1"), 1);
    c.deliver();
    c.request("a", put(K0, "2"), 1);
    c.queue.clear(); // the link to b broke with write 2 on it
    c.node("a").onPeerUnreachable("b", c.now);
    c.deliver();
    assertThat(c.node("b").peek("m", K0, c.now).value()).isEqualTo(bytes("2"));
  }

  @Test
  void snapshot_chunkOutOfOrder_ignoredUntilRestart() {
    TestCluster c = new TestCluster("a", "b");
    c.table(ab(1), List.of());
    StateNode b = c.node("b");
    b.onMessage(
        "a",
        new StateMessage.SnapshotChunk(
            0, 1, 3, 1, true, List.of(new StateEntry("m", K0, bytes("n"), 3, 0))),
        c.now);
    assertThat(b.sequence(0)).isEqualTo(-1);
    assertThat(c.queue).isEmpty();
  }

  @Test
  void snapshot_fromNonOwner_refused() {
    TestCluster c = new TestCluster("a", "b");
    c.table(ab(1), List.of());
    c.node("a").onMessage("b", new StateMessage.SnapshotChunk(0, 1, 3, 0, true, List.of()), c.now);
    assertThat(c.queue.poll().message()).isEqualTo(new StateMessage.BackupRefused(0, 1));
    assertThat(c.node("a").sequence(0)).isEqualTo(-1);
  }

  private static StateMessage.Backup backupTo(String to, List<TestCluster.Sent> log) {
    return log.stream()
        .filter(s -> s.to().equals(to) && s.message() instanceof StateMessage.Backup)
        .map(s -> (StateMessage.Backup) s.message())
        .findFirst()
        .orElseThrow();
  }
}
