package io.hivemind.client;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hivemind.api.KvPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A KV transaction ({@code PUT /v1/txn}, Consul's KV verbs): operations added in order, then {@link
 * #commit} applies all of them or none. Reads see the writes before them; a check that fails
 * ({@link #checkIndex}, {@link #checkSession}, {@link #checkNotExists}, a {@link #get} of a missing
 * key, a lost {@link #cas}) leaves everything as it was.
 *
 * <pre>{@code
 * KvTxn.Outcome outcome =
 *     client.kvTxn().checkIndex("config/version", 41).set("config/a", a).set("config/b", b).commit();
 * }</pre>
 *
 * <p>Made by {@link HivemindClient#kvTxn()}; not thread-safe (one transaction, one thread), at most
 * 64 operations.
 */
public final class KvTxn {

  private static final TypeReference<Answer> ANSWER = new TypeReference<>() {};

  private final HivemindClient client;
  private final List<Map<String, Object>> ops = new ArrayList<>();

  KvTxn(HivemindClient client) {
    this.client = client;
  }

  /**
   * What a committed or refused transaction answered.
   *
   * @param committed whether every operation took effect
   * @param results what the operations answered, in their order: the entry a write left (its value
   *     left out, as Consul answers), the entry a {@code get} or a check found, every entry a
   *     {@code getTree} found; deletes answer nothing. Empty when not committed
   * @param failedOperation the position of the operation that failed, -1 when committed
   * @param why the agent's sentence for that failure, "" when committed
   */
  public record Outcome(boolean committed, List<KvPair> results, int failedOperation, String why) {
    public Outcome {
      results = List.copyOf(results);
    }
  }

  /** Sets {@code key} to {@code value}. */
  public KvTxn set(String key, byte[] value) {
    return add("set", key, value, 0, -1, null);
  }

  /** Sets {@code key} to {@code value} with {@code flags}. */
  public KvTxn set(String key, byte[] value, long flags) {
    return add("set", key, value, flags, -1, null);
  }

  /**
   * Sets {@code key} only while its {@code ModifyIndex} is {@code modifyIndex} (0: only while it is
   * absent).
   */
  public KvTxn cas(String key, byte[] value, long modifyIndex) {
    return add("cas", key, value, 0, modifyIndex, null);
  }

  /** Takes {@code key}'s lock for {@code session}, setting its value (docs/sessions.md). */
  public KvTxn lock(String key, byte[] value, String session) {
    return add("lock", key, value, 0, -1, Objects.requireNonNull(session, "session"));
  }

  /** Gives {@code key}'s lock back for {@code session}, which must hold it. */
  public KvTxn unlock(String key, String session) {
    return add("unlock", key, null, 0, -1, Objects.requireNonNull(session, "session"));
  }

  /** Reads {@code key}; the transaction fails when it is absent. */
  public KvTxn get(String key) {
    return add("get", key, null, 0, -1, null);
  }

  /** Reads every entry under {@code prefix} ("" for all), maybe none. */
  public KvTxn getTree(String prefix) {
    return add("get-tree", prefix, null, 0, -1, null);
  }

  /** Fails the transaction unless {@code key}'s {@code ModifyIndex} is {@code modifyIndex}. */
  public KvTxn checkIndex(String key, long modifyIndex) {
    return add("check-index", key, null, 0, modifyIndex, null);
  }

  /** Fails the transaction unless {@code session} holds {@code key}'s lock. */
  public KvTxn checkSession(String key, String session) {
    return add("check-session", key, null, 0, -1, Objects.requireNonNull(session, "session"));
  }

  /** Fails the transaction when {@code key} exists. */
  public KvTxn checkNotExists(String key) {
    return add("check-not-exists", key, null, 0, -1, null);
  }

  /** Deletes {@code key}; a missing one is no failure. */
  public KvTxn delete(String key) {
    return add("delete", key, null, 0, -1, null);
  }

  /** Deletes every entry under {@code prefix}. */
  public KvTxn deleteTree(String prefix) {
    return add("delete-tree", prefix, null, 0, -1, null);
  }

  /** Deletes {@code key} only while its {@code ModifyIndex} is {@code modifyIndex}. */
  public KvTxn deleteCas(String key, long modifyIndex) {
    return add("delete-cas", key, null, 0, modifyIndex, null);
  }

  /**
   * Sends the transaction and waits for its commit.
   *
   * @return committed with its results, or not committed with the failed operation and why
   * @throws HivemindClientException {@code invalid_txn} for a malformed operation (an empty key, a
   *     value over 512 KiB), {@code too_many_operations} past 64, {@code acl_denied}, {@code
   *     no_quorum} without a quorum, or when the call fails
   */
  public Outcome commit() {
    if (ops.isEmpty()) {
      throw new IllegalStateException("a transaction needs at least one operation");
    }
    Answer answer = client.putAnswering409("/v1/txn", client.toJson(ops), "a transaction", ANSWER);
    if (answer.errors() != null && !answer.errors().isEmpty()) {
      TxnError error = answer.errors().get(0);
      return new Outcome(false, List.of(), error.opIndex(), error.what());
    }
    List<KvPair> results = new ArrayList<>();
    if (answer.results() != null) {
      answer.results().forEach(result -> results.add(result.kv()));
    }
    return new Outcome(true, results, -1, "");
  }

  private KvTxn add(String verb, String key, byte[] value, long flags, long index, String session) {
    Objects.requireNonNull(key, "key");
    Map<String, Object> kv = new LinkedHashMap<>();
    kv.put("Verb", verb);
    kv.put("Key", key);
    if (value != null) {
      kv.put("Value", Base64.getEncoder().encodeToString(value));
    }
    if (flags != 0) {
      kv.put("Flags", flags);
    }
    if (index >= 0) {
      kv.put("Index", index);
    }
    if (session != null) {
      kv.put("Session", session);
    }
    ops.add(Map.of("KV", kv));
    return this;
  }

  /** Consul's answer: results when committed, errors when not. */
  record Answer(List<TxnResult> results, List<TxnError> errors) {}

  /** One result: the entry under {@code KV}. */
  record TxnResult(KvPair kv) {}

  /** The operation that failed and why. */
  record TxnError(int opIndex, String what) {}
}
