package io.hivemind.core.control;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.Function;

/**
 * The reads and checks of a {@link ControlCommand.KvTxn} ({@code get}, {@code get-tree}, {@code
 * check-index}, {@code check-session}, {@code check-not-exists}): what each answers and when it
 * fails. The state machine runs them inside a transaction, against the store as its earlier writes
 * left it; a transaction of reads only runs them against a published view ({@link #evaluate}), as
 * Consul answers a read-only transaction without a Raft round. Pure.
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
        bytes += KvTxnResults.bytes(List.of(entry));
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

  /**
   * A transaction of reads only, against {@code view}: what the state machine would answer for it
   * at the view's index, without proposing it.
   *
   * @throws IllegalArgumentException when an operation writes
   */
  public static ApplyResult evaluate(ControlCommand.KvTxn txn, ControlView view) {
    NavigableMap<String, KvEntry> kv = view.kv();
    List<KvEntry> results = new ArrayList<>();
    long bytes = 0;
    for (int position = 0; position < txn.ops().size(); position++) {
      KvOp op = txn.ops().get(position);
      if (op.verb().writes()) {
        throw new IllegalArgumentException("operation " + position + " writes: " + op);
      }
      int answered = results.size();
      String failed = read(op, kv::get, prefix -> under(kv, prefix), results);
      RefusalCode code = RefusalCode.CAS_MISMATCH;
      bytes += KvTxnResults.bytes(results.subList(answered, results.size()));
      if (failed == null && bytes > ControlFieldRules.MAX_TXN_RESULT_BYTES) {
        failed = tooMuchRead();
        code = RefusalCode.INVALID;
      }
      if (failed != null) {
        return new ApplyResult.Refused(view.index(), code, failure(position, op, failed), position);
      }
    }
    return new ApplyResult.Applied(view.index(), view.epoch(), List.of(), results);
  }

  /** Why a transaction read more than its answer may carry. */
  static String tooMuchRead() {
    return "the transaction's reads come to more than "
        + ControlFieldRules.MAX_TXN_RESULT_BYTES
        + " bytes; read a large prefix with GET /v1/kv/PREFIX?recurse";
  }

  /** "operation N (verb 'key'): why". */
  static String failure(int position, KvOp op, String why) {
    return "operation "
        + position
        + " ("
        + op.verb().consulName()
        + " "
        + ControlFieldRules.shown(op.key())
        + "): "
        + why;
  }

  /** The entries under {@code prefix}, in key order, read as they are iterated. */
  private static Iterable<KvEntry> under(NavigableMap<String, KvEntry> kv, String prefix) {
    return () ->
        kv.tailMap(prefix, true).values().stream()
            .takeWhile(entry -> entry.key().startsWith(prefix))
            .iterator();
  }
}
