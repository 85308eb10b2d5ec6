package io.hivemind.core.control;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.Function;

/**
 * How a {@link ControlCommand.KvTxn} runs: its operations in order against the read budget ({@link
 * #run}), and its reads and checks ({@code get}, {@code get-tree}, {@code check-index}, {@code
 * check-session}, {@code check-not-exists}): what each answers and when it fails. The state machine
 * runs a transaction against its store, its writes included; a transaction of reads only runs
 * against a published view ({@link #evaluate}), as Consul answers a read-only transaction without a
 * Raft round. Pure.
 */
public final class KvTxnReads {

  private KvTxnReads() {}

  /**
   * Runs one read or check, adding what it answers to {@code results}.
   *
   * @param get the entry at a key, or null
   * @param under the entries under a prefix, in key order
   * @return null, or why it failed (the transaction then fails: {@link RefusalCode#CAS_MISMATCH})
   */
  static String read(
      KvOp op,
      Function<String, KvEntry> get,
      Function<String, Iterable<KvEntry>> under,
      List<KvEntry> results) {
    if (op.verb() == KvOp.Verb.GET_TREE) {
      long bytes = 0;
      for (KvEntry entry : under.apply(op.key())) {
        results.add(entry);
        bytes += KvTxnResults.bytes(entry);
        if (bytes > ControlFieldRules.MAX_TXN_RESULT_BYTES) {
          break; // over the budget: the transaction is refused, so the rest need not be read
        }
      }
      return null;
    }
    KvEntry current = get.apply(op.key());
    if (op.verb() == KvOp.Verb.CHECK_NOT_EXISTS) {
      return current == null ? null : "the key exists";
    }
    if (current == null) {
      return "the key does not exist";
    }
    String failed =
        switch (op.verb()) {
          case CHECK_INDEX ->
              current.modifyIndex() == op.index()
                  ? null
                  : "its modify index is " + current.modifyIndex() + ", not " + op.index();
          case CHECK_SESSION ->
              current.session().equals(op.session())
                  ? null
                  : (current.locked()
                          ? "it is locked by session " + current.session()
                          : "it is not locked")
                      + ", not by "
                      + op.session();
          case GET -> null;
          default -> throw new IllegalArgumentException(op.verb() + " is not a read");
        };
    if (failed == null) {
      results.add(op.verb() == KvOp.Verb.GET ? current : KvTxnResults.withoutValue(current));
    }
    return failed;
  }

  /** True when every operation of {@code txn} only reads. */
  public static boolean readOnly(ControlCommand.KvTxn txn) {
    return txn.ops().stream().noneMatch(op -> op.verb().writes());
  }

  /** One operation, against the store as the earlier ones left it. */
  interface Operation {
    /**
     * Runs {@code op}, adding what it answers to {@code results}.
     *
     * @return null, or why it failed
     */
    ApplyResult.Refused run(KvOp op, List<KvEntry> results);
  }

  /**
   * Runs a transaction's operations in order for the entry at {@code index}: the first that fails,
   * or whose reads go over the budget, refuses the whole transaction naming it. The caller undoes
   * the writes of a refused one.
   *
   * @param readRoom what its reads may come to in the entry's answer: a batch's transactions share
   *     the budget, and one that would fit it alone but not in this room is refused {@link
   *     RefusalCode#RESULTS_FULL}, to be proposed again alone
   */
  static ApplyResult run(
      ControlCommand.KvTxn txn, long index, long epoch, long readRoom, Operation operation) {
    List<KvEntry> results = new ArrayList<>();
    long bytes = 0;
    for (int position = 0; position < txn.ops().size(); position++) {
      KvOp op = txn.ops().get(position);
      int answered = results.size();
      ApplyResult.Refused refused = operation.run(op, results);
      bytes += KvTxnResults.bytes(results.subList(answered, results.size()));
      if (refused == null && bytes > ControlFieldRules.MAX_TXN_RESULT_BYTES) {
        refused = new ApplyResult.Refused(index, RefusalCode.INVALID, tooMuchRead());
      } else if (refused == null && bytes > readRoom) {
        return new ApplyResult.Refused(
            index,
            RefusalCode.RESULTS_FULL,
            "the batch's answer has " + readRoom + " bytes left for reads, not " + bytes);
      }
      if (refused != null) {
        return new ApplyResult.Refused(
            index, refused.code(), failure(position, op, refused.message()), position);
      }
    }
    return new ApplyResult.Applied(index, epoch, List.of(), results);
  }

  /**
   * A transaction of reads only, against {@code view}: what the state machine would answer for it
   * at the view's index, without proposing it.
   *
   * @throws IllegalArgumentException when an operation writes
   */
  public static ApplyResult evaluate(ControlCommand.KvTxn txn, ControlView view) {
    if (!readOnly(txn)) {
      throw new IllegalArgumentException("the transaction writes: " + txn);
    }
    NavigableMap<String, KvEntry> kv = view.kv();
    return run(
        txn,
        view.index(),
        view.epoch(),
        ControlFieldRules.MAX_TXN_RESULT_BYTES,
        (op, results) -> {
          String failed =
              read(op, kv::get, prefix -> KvStore.prefixed(kv, prefix).values(), results);
          return failed == null
              ? null
              : new ApplyResult.Refused(view.index(), RefusalCode.CAS_MISMATCH, failed);
        });
  }

  /** Why a transaction read more than its answer may carry. */
  private static String tooMuchRead() {
    return "the transaction's reads come to more than "
        + ControlFieldRules.MAX_TXN_RESULT_BYTES
        + " bytes; read a large prefix with GET /v1/kv/PREFIX?recurse";
  }

  /** "operation N (verb 'key'): why". */
  private static String failure(int position, KvOp op, String why) {
    return "operation "
        + position
        + " ("
        + op.verb().consulName()
        + " "
        + ControlFieldRules.shown(op.key())
        + "): "
        + why;
  }
}
