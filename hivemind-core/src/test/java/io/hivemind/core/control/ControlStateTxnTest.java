package io.hivemind.core.control;

import static io.hivemind.core.control.ControlLog.admit;
import static io.hivemind.core.control.ControlLog.bytes;
import static io.hivemind.core.control.ControlLog.kvSet;
import static io.hivemind.core.control.ControlStateTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.control.KvOp.Verb;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Consul's KV transactions on the replicated state: all operations or none, reads that see the
 * writes before them, what each verb answers, the failing operation named, and the limits.
 */
class ControlStateTxnTest {

  private static final String S1 = "11111111-1111-1111-1111-111111111111";
  private static final String S2 = "22222222-2222-2222-2222-222222222222";

  private final ControlLog log = ControlLog.bootstrapped();

  ControlStateTxnTest() {
    log.apply(admit("id-a", "node-a")); // index 2
    log.apply(kvSet("config/a", "1", -1)); // index 3
    log.apply(kvSet("config/b", "2", -1)); // index 4
  }

  private static KvOp op(Verb verb, String key, String value, long index, String session) {
    return new KvOp(verb, key, bytes(value), 7, index, session);
  }

  private static KvOp op(Verb verb, String key) {
    return KvOp.of(verb, key);
  }

  private static ControlCommand.KvTxn txn(KvOp... ops) {
    return new ControlCommand.KvTxn(List.of(ops));
  }

  private KvEntry entry(String key) {
    return log.state.view().kv().get(key);
  }

  @Test
  void txn_appliesEveryOperationInOrder_andAnswersWhatEachVerbAnswers() {
    ApplyResult result =
        log.apply(
            txn(
                op(Verb.SET, "config/c", "3", 0, ""),
                op(Verb.CAS, "config/a", "1b", 3, ""),
                op(Verb.DELETE, "config/b"),
                op(Verb.GET, "config/c"),
                op(Verb.CHECK_INDEX, "config/a", "", 5, ""),
                op(Verb.CHECK_NOT_EXISTS, "config/b"),
                op(Verb.GET_TREE, "config/")));

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    List<KvEntry> kv = ((ApplyResult.Applied) result).kv();
    // set, cas, (delete: nothing), get, check-index, (check-not-exists: nothing), get-tree (2)
    assertThat(kv)
        .extracting(KvEntry::key)
        .containsExactly("config/c", "config/a", "config/c", "config/a", "config/a", "config/c");
    assertThat(kv.get(0).valueLength()).as("a write answers without the value").isZero();
    assertThat(kv.get(0).flags()).isEqualTo(7);
    assertThat(kv.get(0).modifyIndex()).isEqualTo(5);
    assertThat(kv.get(2).value()).as("a get sees the set before it").isEqualTo(bytes("3"));
    assertThat(kv.get(3).valueLength()).isZero();
    assertThat(kv.get(4).value()).isEqualTo(bytes("1b"));
    assertThat(entry("config/a").value()).isEqualTo(bytes("1b"));
    assertThat(entry("config/a").createIndex()).isEqualTo(3);
    assertThat(entry("config/b")).isNull();
    assertThat(entry("config/c").modifyIndex()).isEqualTo(5);
  }

  @Test
  void txn_whoseOperationFails_changesNothing_andNamesTheOperation() {
    ControlView before = log.state.view();

    ApplyResult result =
        log.apply(
            txn(
                op(Verb.SET, "config/c", "3", 0, ""),
                op(Verb.DELETE_TREE, "config/"),
                op(Verb.CAS, "config/a", "x", 3, ""))); // config/a is gone by now

    assertRefused(log.state, result, RefusalCode.CAS_MISMATCH, before);
    ApplyResult.Refused refused = (ApplyResult.Refused) result;
    assertThat(refused.operation()).isEqualTo(2);
    assertThat(refused.message()).startsWith("operation 2 (cas 'config/a'): ");
    assertThat(entry("config/a").value()).isEqualTo(bytes("1"));
  }

  @Test
  void checks_failWithTheirReason() {
    ControlView before = log.state.view();
    assertFailsAt(
        0,
        RefusalCode.CAS_MISMATCH,
        "modify index is 3, not 9",
        before,
        op(Verb.CHECK_INDEX, "config/a", "", 9, ""));
    assertFailsAt(
        1,
        RefusalCode.CAS_MISMATCH,
        "the key exists",
        before,
        op(Verb.GET, "config/a"),
        op(Verb.CHECK_NOT_EXISTS, "config/a"));
    assertFailsAt(0, RefusalCode.CAS_MISMATCH, "does not exist", before, op(Verb.GET, "nothing"));
    assertFailsAt(
        0,
        RefusalCode.CAS_MISMATCH,
        "it is not locked, not by " + S1,
        before,
        op(Verb.CHECK_SESSION, "config/a", "", 0, S1));
  }

  @Test
  void locks_inATxn_followTheSessionRules_andAFailedOneReleasesNothing() {
    log.apply(new ControlCommand.SessionCreate(S1, "", "node-a", SessionBehavior.RELEASE, 0, 0));
    log.apply(new ControlCommand.SessionCreate(S2, "", "node-a", SessionBehavior.RELEASE, 0, 0));

    ApplyResult taken =
        log.apply(
            txn(op(Verb.LOCK, "lead", "me", 0, S1), op(Verb.CHECK_SESSION, "lead", "", 0, S1)));
    assertThat(taken).isInstanceOf(ApplyResult.Applied.class);
    assertThat(((ApplyResult.Applied) taken).kv().get(0).lockIndex()).isEqualTo(1);
    assertThat(entry("lead").session()).isEqualTo(S1);

    ControlView before = log.state.view();
    assertFailsAt(
        1,
        RefusalCode.LOCK_REFUSED,
        "locked by session " + S1,
        before,
        op(Verb.SET, "other", "x", 0, ""),
        op(Verb.LOCK, "lead", "you", 0, S2));
    assertFailsAt(
        0,
        RefusalCode.NO_SESSION,
        "no session",
        before,
        op(Verb.UNLOCK, "lead", "", 0, "33333333-3333-3333-3333-333333333333"));
    assertThat(entry("lead").session()).isEqualTo(S1);
  }

  @Test
  void readsOverTheResultBudget_areRefused() {
    byte[] big = new byte[100 * 1024];
    for (int i = 0; i < 6; i++) {
      log.apply(new ControlCommand.KvSet("big/" + i, big, 0, -1));
    }
    ControlView before = log.state.view();

    assertFailsAt(
        0,
        RefusalCode.INVALID,
        "more than " + ControlFieldRules.MAX_TXN_RESULT_BYTES,
        before,
        op(Verb.GET_TREE, "big/"));
    // Without values (a check answers none), the same keys fit.
    assertThat(log.apply(txn(op(Verb.CHECK_NOT_EXISTS, "big/6"), op(Verb.GET, "big/0"))))
        .isInstanceOf(ApplyResult.Applied.class);
  }

  @Test
  void inABatch_txnsShareTheAnswersReadBudget_andOneThatDoesNotFitChangesNothing() {
    byte[] big = new byte[300 * 1024];
    log.apply(new ControlCommand.KvSet("big/a", big, 0, -1));
    log.apply(new ControlCommand.KvSet("big/b", big, 0, -1));

    ApplyResult result =
        log.apply(
            new ControlCommand.Batch(
                List.of(
                    txn(op(Verb.GET, "big/a")),
                    txn(op(Verb.SET, "written", "x", 0, ""), op(Verb.GET, "big/b")),
                    txn(op(Verb.GET, "config/a")))));

    List<ApplyResult> results = ((ApplyResult.Batched) result).results();
    assertThat(results.get(0)).isInstanceOf(ApplyResult.Applied.class);
    assertThat(((ApplyResult.Refused) results.get(1)).code()).isEqualTo(RefusalCode.RESULTS_FULL);
    assertThat(results.get(2))
        .as("a small read still fits")
        .isInstanceOf(ApplyResult.Applied.class);
    assertThat(entry("written")).isNull();
    // Alone, the same transaction has the whole budget.
    assertThat(log.apply(txn(op(Verb.SET, "written", "x", 0, ""), op(Verb.GET, "big/b"))))
        .isInstanceOf(ApplyResult.Applied.class);
  }

  @Test
  void fieldRules_boundTheTxn_andCheckEachOperationAsItsCommandWould() {
    List<KvOp> tooMany = new ArrayList<>();
    for (int i = 0; i <= ControlFieldRules.MAX_TXN_OPS; i++) {
      tooMany.add(op(Verb.GET, "k" + i));
    }
    assertThat(ControlFieldRules.commandProblem(new ControlCommand.KvTxn(tooMany)))
        .contains("1..64 operations, not 65");
    assertThat(ControlFieldRules.commandProblem(new ControlCommand.KvTxn(List.of())))
        .contains("not 0");
    assertThat(
            ControlFieldRules.commandProblem(txn(op(Verb.GET, "a"), op(Verb.SET, "", "", 0, ""))))
        .startsWith("operation 1 (set): KV key");
    assertThat(ControlFieldRules.commandProblem(txn(op(Verb.CAS, "a", "", -1, ""))))
        .contains("cas compares a modify index, not -1");
    assertThat(ControlFieldRules.commandProblem(txn(op(Verb.LOCK, "a", "", 0, ""))))
        .contains("session id");
    assertThat(ControlFieldRules.commandProblem(txn(op(Verb.CHECK_SESSION, "a", "", 0, ""))))
        .contains("session id");
    assertThat(ControlFieldRules.commandProblem(txn(op(Verb.DELETE_TREE, "")))).isNull();
    byte[] half = new byte[ControlFieldRules.MAX_TXN_VALUE_BYTES / 2 + 1];
    assertThat(
            ControlFieldRules.commandProblem(
                new ControlCommand.KvTxn(
                    List.of(
                        new KvOp(Verb.SET, "a", half, 0, 0, ""),
                        new KvOp(Verb.SET, "b", half, 0, 0, "")))))
        .contains("more than " + ControlFieldRules.MAX_TXN_VALUE_BYTES);
  }

  @Test
  void access_isWhatEachOperationNeedsAlone() {
    assertThat(
            CommandAccess.of(
                txn(
                    op(Verb.SET, "a", "", 0, ""),
                    op(Verb.GET_TREE, "p/"),
                    op(Verb.DELETE_TREE, "q/"))))
        .containsExactly(
            new CommandAccess.Need(
                io.hivemind.core.acl.AclResource.KEY,
                "a",
                io.hivemind.core.acl.AclAccess.WRITE,
                false),
            new CommandAccess.Need(
                io.hivemind.core.acl.AclResource.KEY,
                "p/",
                io.hivemind.core.acl.AclAccess.READ,
                true),
            new CommandAccess.Need(
                io.hivemind.core.acl.AclResource.KEY,
                "q/",
                io.hivemind.core.acl.AclAccess.WRITE,
                true));
  }

  @Test
  void readOnlyTxns_evaluatedOnAView_answerWhatTheStateMachineWould() {
    List<ControlCommand.KvTxn> reads =
        List.of(
            txn(op(Verb.GET, "config/a"), op(Verb.GET_TREE, "config/")),
            txn(op(Verb.CHECK_INDEX, "config/b", "", 4, ""), op(Verb.CHECK_NOT_EXISTS, "x")),
            txn(op(Verb.GET_TREE, "nothing/"), op(Verb.CHECK_INDEX, "config/a", "", 9, "")),
            txn(op(Verb.CHECK_SESSION, "config/a", "", 0, S1)));
    for (ControlCommand.KvTxn read : reads) {
      assertThat(KvTxnReads.readOnly(read)).isTrue();
      ApplyResult evaluated = KvTxnReads.evaluate(read, log.state.view());

      ApplyResult applied = log.apply(read);

      assertThat(evaluated).as(read.toString()).isEqualTo(withIndex(applied, evaluated.index()));
    }
    assertThat(KvTxnReads.readOnly(txn(op(Verb.GET, "a"), op(Verb.DELETE, "a")))).isFalse();
  }

  /** The same result at another index (an applied read answers at its own entry's index). */
  private static ApplyResult withIndex(ApplyResult result, long index) {
    if (result instanceof ApplyResult.Applied applied) {
      return new ApplyResult.Applied(index, applied.epoch(), applied.events(), applied.kv());
    }
    ApplyResult.Refused refused = (ApplyResult.Refused) result;
    return new ApplyResult.Refused(index, refused.code(), refused.message(), refused.operation());
  }

  @Test
  void replicas_applyingTheSameTxns_reachTheSameState() {
    log.apply(txn(op(Verb.SET, "x", "1", 0, ""), op(Verb.CAS, "x", "2", 99, ""))); // refused
    log.apply(txn(op(Verb.SET, "y", "1", 0, ""), op(Verb.DELETE_CAS, "config/a", "", 3, "")));
    ControlState other = ControlState.empty(RemovalPolicy.DEFAULT);

    log.replay(other);

    assertThat(other.view()).isEqualTo(log.state.view());
    assertThat(other.view().kv()).containsKey("y").doesNotContainKeys("x", "config/a");
  }

  private void assertFailsAt(
      int position, RefusalCode code, String reason, ControlView before, KvOp... ops) {
    ApplyResult result = log.apply(txn(ops));
    assertRefused(log.state, result, code, before);
    ApplyResult.Refused refused = (ApplyResult.Refused) result;
    assertThat(refused.operation()).isEqualTo(position);
    assertThat(refused.message()).contains(reason);
  }
}
