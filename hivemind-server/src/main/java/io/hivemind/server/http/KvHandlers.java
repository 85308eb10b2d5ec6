package io.hivemind.server.http;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.KvEntry;
import io.hivemind.core.control.RefusalCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.function.Function;

/**
 * Consul's KV API, {@code /v1/kv/{key}}, on the control plane's log: reads from a view ({@link
 * ControlReads}: consistency modes and blocking), writes as {@code KvSet} and {@code KvDelete}
 * commands, and locks as {@code KvLock} ones. A compare-and-set that finds another index answers
 * {@code false}, as Consul does; every other refusal is an error with the refusal's code. Runs on
 * the HTTP event loop.
 */
final class KvHandlers {

  private static final String OCTETS = "application/octet-stream";

  private final AgentOperations agent;

  KvHandlers(AgentOperations agent) {
    this.agent = agent;
  }

  /** {@code GET /v1/kv/{key}[?recurse|?keys[&separator=S]|?raw]}. */
  void get(ApiRequest request) {
    String key = request.pathParam("key");
    boolean recurse = QueryParams.flag(request, "recurse");
    boolean keys = QueryParams.flag(request, "keys");
    boolean raw = QueryParams.flag(request, "raw");
    String separator = request.queryParam("separator");
    if (key.isEmpty() && !recurse && !keys) {
      throw ApiException.badRequest(
          "key_required", "give a key (GET /v1/kv/KEY), or list with ?recurse or ?keys");
    }
    if (raw && (recurse || keys)) {
      throw ApiException.badRequest(
          "bad_request", "?raw reads one key: not with ?recurse or ?keys");
    }
    ControlReads.read(
        request,
        agent.control(),
        view -> {
          if (keys) {
            return found(keys(view.kv(), key, separator), ControlJson::strings);
          }
          if (recurse) {
            return found(prefixed(view.kv(), key), ControlJson::kvPairs);
          }
          return one(view, key, raw);
        });
  }

  /**
   * {@code PUT /v1/kv/{key}[?flags=F][&cas=I|&acquire=SESSION|&release=SESSION]}: the body is the
   * value. An acquire or release answers false when the lock is not taken or given back
   * (docs/sessions.md).
   */
  void put(ApiRequest request) {
    String key = requireKey(request);
    long flags = QueryParams.unsigned(request, "flags");
    long cas = QueryParams.nonNegative(request, "cas", -1);
    String acquire = request.queryParam("acquire");
    String release = request.queryParam("release");
    if (acquire != null && release != null) {
      throw ApiException.badRequest(
          "bad_lock", "?acquire and ?release exclude each other: give one session");
    }
    String session = acquire != null ? acquire : release;
    if (session == null) {
      submit(request, new ControlCommand.KvSet(key, request.body(), flags, cas));
      return;
    }
    if (cas >= 0) {
      throw ApiException.badRequest(
          "bad_lock", "?cas cannot be combined with ?acquire or ?release here: a lock decides");
    }
    if (session.isEmpty()) {
      throw ApiException.badRequest(
          "bad_lock", "?" + (acquire != null ? "acquire" : "release") + " needs a session id");
    }
    submit(
        request, new ControlCommand.KvLock(key, request.body(), flags, session, acquire != null));
  }

  /** {@code DELETE /v1/kv/{key}[?recurse][&cas=I]}. */
  void delete(ApiRequest request) {
    boolean recurse = QueryParams.flag(request, "recurse");
    long cas = QueryParams.nonNegative(request, "cas", -1);
    String key = recurse ? request.pathParam("key") : requireKey(request);
    if (recurse && cas >= 0) {
      throw ApiException.badRequest(
          "bad_cas", "?cas deletes one key: it cannot be combined with ?recurse");
    }
    submit(request, new ControlCommand.KvDelete(key, recurse, cas));
  }

  private void submit(ApiRequest request, ControlCommand command) {
    ControlAnswers.onCompletion(
        request,
        agent.control().submit(command, ApiAcl.presented(request)),
        "kv_failed",
        result -> request.json(200, ControlJson.bool(succeeded(result))));
  }

  /**
   * True when applied, false for a CAS that lost or a lock not taken or given back (Consul's
   * answers); other refusals throw.
   */
  private static boolean succeeded(ApplyResult result) {
    if (result instanceof ApplyResult.Refused refused) {
      if (refused.code() == RefusalCode.CAS_MISMATCH
          || refused.code() == RefusalCode.LOCK_REFUSED) {
        return false;
      }
      throw ControlAnswers.refused(refused);
    }
    return true;
  }

  private static String requireKey(ApiRequest request) {
    String key = request.pathParam("key");
    if (key.isEmpty()) {
      throw ApiException.badRequest(
          "key_required", request.method() + " needs a key: " + request.method() + " /v1/kv/KEY");
    }
    return key;
  }

  private static ControlReply one(ControlView view, String key, boolean raw) {
    KvEntry entry = view.kv().get(key);
    if (entry == null) {
      return ControlReply.notFound();
    }
    return raw
        ? new ControlReply(200, OCTETS, entry.value())
        : ControlReply.json(200, ControlJson.kvPairs(List.of(entry)));
  }

  /** The items as JSON, or Consul's bare 404 when there are none. */
  private static <T> ControlReply found(List<T> items, Function<List<T>, byte[]> json) {
    return items.isEmpty() ? ControlReply.notFound() : ControlReply.json(200, json.apply(items));
  }

  /** The entries whose key starts with {@code prefix}, in key order. */
  static List<KvEntry> prefixed(NavigableMap<String, KvEntry> kv, String prefix) {
    List<KvEntry> entries = new ArrayList<>();
    for (KvEntry entry : kv.tailMap(prefix, true).values()) {
      if (!entry.key().startsWith(prefix)) {
        break;
      }
      entries.add(entry);
    }
    return entries;
  }

  /**
   * The keys under {@code prefix}; with a separator, each cut after the first separator past the
   * prefix and listed once (Consul's "folders"), so {@code keys&separator=/} lists one level.
   */
  static List<String> keys(NavigableMap<String, KvEntry> kv, String prefix, String separator) {
    Set<String> keys = new LinkedHashSet<>();
    for (KvEntry entry : prefixed(kv, prefix)) {
      String key = entry.key();
      int cut =
          separator == null || separator.isEmpty() ? -1 : key.indexOf(separator, prefix.length());
      keys.add(cut < 0 ? key : key.substring(0, cut + separator.length()));
    }
    return List.copyOf(keys);
  }
}
