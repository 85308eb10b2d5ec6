package io.hivemind.core.control;

import io.hivemind.api.Environment;
import io.hivemind.core.acl.AclFieldRules;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.NodeIdentity;
import io.hivemind.core.partition.PartitionTable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The field rules of the control plane's commands (docs/protocol/control.md, "Field limits"): the
 * decoder checks every decoded entry against them, and {@link ControlState#apply} checks entries
 * handed over as records, so a command that breaks one is refused INVALID on every replica alike.
 * The leader may call {@link #problem} before proposing to answer the caller without a round trip.
 *
 * <p>Character sets follow the membership field rules (docs/protocol/membership.md): names are
 * ASCII letters, digits, '-', '_' and '.', starting with a letter or digit, so no name carries a
 * control character into a log line, a DNS answer or an event.
 *
 * <p>Stateless.
 */
public final class ControlFieldRules {

  /** Longest member name and member id, in bytes: the membership protocol's node name bound. */
  public static final int MAX_NAME_BYTES = NodeIdentity.MAX_NAME_BYTES;

  /** Longest cluster name, in bytes: as the agent's configuration allows. */
  public static final int MAX_CLUSTER_BYTES = NodeIdentity.MAX_CLUSTER_BYTES;

  /** Longest role, zone or event type, in bytes: the membership protocol's short-name bound. */
  public static final int MAX_SHORT_NAME_BYTES = 64;

  /** Longest host (gossip address host or physical host name), in bytes: a DNS name's bound. */
  public static final int MAX_HOST_BYTES = 255;

  /** Most roles a member may perform: agents carry three by default; 16 leaves room. */
  public static final int MAX_ROLES = 16;

  /** A hex HMAC-SHA256 is 64 characters; a little room for a future algorithm prefix. */
  public static final int MAX_JOIN_PROOF_CHARS = 128;

  /** Longest KV key, in UTF-8 bytes: Consul's limit. */
  public static final int MAX_KV_KEY_BYTES = 512;

  /** Largest KV value: Consul's limit (512 KiB), so Consul's clients never meet a new one. */
  public static final int MAX_KV_VALUE_BYTES = 512 * 1024;

  /** Shortest session TTL (Consul's): a shorter one would expire between a client's renewals. */
  public static final long MIN_SESSION_TTL_MILLIS = 10_000;

  /** Longest session TTL (Consul's default {@code session_ttl_max}, 24 h). */
  public static final long MAX_SESSION_TTL_MILLIS = 86_400_000;

  /** Longest lock delay (Consul's: 60 s). */
  public static final long MAX_LOCK_DELAY_MILLIS = 60_000;

  /** Longest session name, in bytes of UTF-8. */
  public static final int MAX_SESSION_NAME_BYTES = 256;

  /** Most operations in one KV transaction: Consul's limit (its {@code maxTxnOps}). */
  public static final int MAX_TXN_OPS = 64;

  /**
   * Most bytes of values one KV transaction may write, all its operations together: Consul's
   * default {@code txn_max_req_len}, the limit of one value, so a transaction is no larger an entry
   * than a single write can be.
   */
  public static final int MAX_TXN_VALUE_BYTES = MAX_KV_VALUE_BYTES;

  /**
   * Most bytes what a transaction reads may come to ({@code get} and {@code get-tree}): a quarter
   * of the 2 MiB result limit; the batcher puts at most one reading transaction in a batch, so a
   * batch's results stay within that limit.
   */
  public static final int MAX_TXN_RESULT_BYTES = 512 * 1024;

  /** Largest event payload: events are notices (a configuration update), not bulk data. */
  public static final int MAX_EVENT_PAYLOAD_BYTES = 64 * 1024;

  /** Most observations one entry may batch: a leader batches a tick's worth, far fewer. */
  public static final int MAX_OBSERVATIONS = 4096;

  /**
   * Most commands one batch entry may hold: enough for every write in flight from a busy HTTP API
   * (256 connections), small enough that one entry stays far below the 2 MiB entry limit for
   * ordinary KV values.
   */
  public static final int MAX_BATCH = 512;

  /** Most observers a removal may name: more than any removal rule needs. */
  public static final int MAX_OBSERVERS = 64;

  /** Highest incarnation: the membership protocol's bound (MemberUpdates.MAX_INCARNATION). */
  public static final long MAX_INCARNATION = 1L << 62;

  /** Highest Lifeguard local health an observation may report (Lifeguard's default max is 8). */
  public static final int MAX_LOCAL_HEALTH = 255;

  private ControlFieldRules() {}

  /** What {@code entry} breaks, one sentence, or empty when it follows every rule. */
  public static Optional<String> problem(ControlEntry entry) {
    return Optional.ofNullable(entryProblem(entry));
  }

  /** {@link #problem} as null when there is none. */
  static String entryProblem(ControlEntry entry) {
    if (entry.version() < 1 || entry.version() > ControlEntry.CURRENT_VERSION) {
      return "entry version "
          + entry.version()
          + " is not 1.."
          + ControlEntry.CURRENT_VERSION
          + " (written by a newer agent?)";
    }
    if (entry.timeMillis() < 0) {
      return "entry time " + entry.timeMillis() + " is negative";
    }
    if (entry.command() instanceof ControlCommand.Batch batch) {
      // Each command of a batch is checked (and refused) on its own when applied.
      return batch.commands().isEmpty() || batch.commands().size() > MAX_BATCH
          ? "a batch holds 1.." + MAX_BATCH + " commands, not " + batch.commands().size()
          : null;
    }
    return commandProblem(entry.command());
  }

  /** What {@code command} breaks, or null. */
  static String commandProblem(ControlCommand command) {
    if (command instanceof ControlCommand.Bootstrap bootstrap) {
      return first(cluster(bootstrap.cluster()), environment(bootstrap.environment()));
    } else if (command instanceof ControlCommand.AdmitMember admit) {
      return first(
          memberProblem(admit.candidate()),
          roles(admit.requiredRoles()),
          admit.joinProof().length() > MAX_JOIN_PROOF_CHARS
              ? "join proof longer than " + MAX_JOIN_PROOF_CHARS + " characters"
              : null);
    } else if (command instanceof ControlCommand.RemoveMember remove) {
      return first(id("member", remove.memberId()), observers(remove.observers()));
    } else if (command instanceof ControlCommand.ReportObservations report) {
      return observations(report.observations());
    } else if (command instanceof ControlCommand.AppendEvent event) {
      return appendEvent(event);
    } else if (command instanceof ControlCommand.KvSet set) {
      return kvSet(set);
    } else if (command instanceof ControlCommand.KvDelete delete) {
      return kvDelete(delete);
    } else if (command instanceof ControlCommand.KvLock lock) {
      return kvLock(lock);
    } else if (command instanceof ControlCommand.KvTxn txn) {
      return kvTxn(txn);
    } else if (command instanceof ControlCommand.SessionCreate create) {
      return sessionCreate(create);
    } else if (command instanceof ControlCommand.SessionRenew renew) {
      return first(id("session", renew.id()), name("session's member", renew.node()));
    } else if (command instanceof ControlCommand.SessionDestroy destroy) {
      return first(id("session", destroy.id()), name("session's member", destroy.node()));
    } else if (command instanceof ControlCommand.AclTokenUpsert upsert) {
      return AclFieldRules.problem(upsert.token());
    } else if (command instanceof ControlCommand.AclTokenDelete delete) {
      return AclFieldRules.isAccessorId(delete.accessorId())
          ? null
          : "accessor id " + shown(delete.accessorId()) + " is not a lower-case UUID";
    } else if (command instanceof ControlCommand.CatalogRegister register) {
      return catalogRegister(register);
    } else if (command instanceof ControlCommand.CompleteMoves complete) {
      return complete.moves().size() > PartitionTable.MAX_PARTITIONS
          ? "more than " + PartitionTable.MAX_PARTITIONS + " moves"
          : null;
    } else if (command instanceof ControlCommand.DrainMember drain) {
      return id("member", drain.memberId());
    }
    // Tick carries nothing; a CatalogDeregister's record checked its fields when it was built.
    return null;
  }

  /** What a member record breaks, or null. */
  static String memberProblem(ControlMember member) {
    return first(
        id("member", member.id()),
        name("member", member.name()),
        address(member.address()),
        roles(member.roles()),
        zone(member.zone()),
        host("member host", member.host(), true),
        nonNegative("admitted epoch", member.admittedEpoch()),
        nonNegative("admitted index", member.admittedIndex()));
  }

  /** What a suspicion breaks, or null (snapshots carry the removal rule's suspicions). */
  static String suspicionProblem(Suspicion suspicion) {
    return first(
        id("suspicion subject", suspicion.subject()),
        id("suspicion observer", suspicion.observer()),
        incarnation(suspicion.incarnation()),
        nonNegative("suspicion time", suspicion.sinceMillis()),
        localHealth(suspicion.localHealth()));
  }

  private static String cluster(String cluster) {
    if (cluster.isEmpty() || !utf8Within(cluster, MAX_CLUSTER_BYTES) || hasControl(cluster)) {
      return "cluster name " + shown(cluster) + " is not 1.." + MAX_CLUSTER_BYTES + " bytes";
    }
    return null;
  }

  private static String environment(String environment) {
    for (Environment known : Environment.values()) {
      if (known.id().equals(environment)) {
        return null;
      }
    }
    return "environment "
        + shown(environment)
        + " is not one of production, staging, testing,"
        + " development";
  }

  private static String observers(List<String> observers) {
    if (observers.size() > MAX_OBSERVERS) {
      return observers.size() + " observers, more than " + MAX_OBSERVERS;
    }
    for (String observer : observers) {
      String problem = id("observer", observer);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String observations(List<Observation> observations) {
    if (observations.size() > MAX_OBSERVATIONS) {
      return observations.size() + " observations, more than " + MAX_OBSERVATIONS;
    }
    for (Observation observation : observations) {
      String problem =
          first(
              id("observer", observation.observer()),
              id("subject", observation.subject()),
              name("subject", observation.subjectName()),
              incarnation(observation.incarnation()),
              localHealth(observation.localHealth()),
              nonNegative("observation time", observation.observedAtMillis()));
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String appendEvent(ControlCommand.AppendEvent event) {
    if (!isName(event.type(), MAX_SHORT_NAME_BYTES, true)) {
      return "event type "
          + shown(event.type())
          + " is not 1.."
          + MAX_SHORT_NAME_BYTES
          + " bytes of lower-case letters, digits, '-', '_', '.'";
    }
    if (ControlEvent.BUILT_IN_TYPES.contains(event.type())) {
      return "event type " + shown(event.type()) + " is the state machine's own";
    }
    int payload = event.payloadLength();
    if (payload > MAX_EVENT_PAYLOAD_BYTES) {
      return "event payload of " + payload + " bytes, more than " + MAX_EVENT_PAYLOAD_BYTES;
    }
    return name("event source", event.source());
  }

  private static String kvSet(ControlCommand.KvSet set) {
    int length = set.valueLength();
    if (length > MAX_KV_VALUE_BYTES) {
      return "KV value of " + length + " bytes, more than " + MAX_KV_VALUE_BYTES;
    }
    return first(kvKey(set.key(), false), casIndex(set.casIndex()));
  }

  private static String kvLock(ControlCommand.KvLock lock) {
    int length = lock.valueLength();
    if (length > MAX_KV_VALUE_BYTES) {
      return "KV value of " + length + " bytes, more than " + MAX_KV_VALUE_BYTES;
    }
    return first(kvKey(lock.key(), false), id("session", lock.session()));
  }

  private static String kvTxn(ControlCommand.KvTxn txn) {
    int count = txn.ops().size();
    if (count == 0 || count > MAX_TXN_OPS) {
      return "a transaction holds 1.." + MAX_TXN_OPS + " operations, not " + count;
    }
    long values = 0;
    for (int position = 0; position < count; position++) {
      KvOp op = txn.ops().get(position);
      values += op.valueLength();
      String problem = kvOp(op);
      if (problem != null) {
        return "operation " + position + " (" + op.verb().consulName() + "): " + problem;
      }
    }
    return values > MAX_TXN_VALUE_BYTES
        ? "a transaction's values come to " + values + " bytes, more than " + MAX_TXN_VALUE_BYTES
        : null;
  }

  /** A write by the rules of its single-key command; a read or check by its own. */
  private static String kvOp(KvOp op) {
    if ((op.verb() == KvOp.Verb.CAS || op.verb() == KvOp.Verb.DELETE_CAS) && op.index() < 0) {
      return op.verb().consulName() + " compares a modify index, not " + op.index();
    }
    Optional<ControlCommand> write = op.asWrite();
    if (write.isPresent()) {
      return commandProblem(write.get());
    }
    return first(
        kvKey(op.key(), op.verb().onPrefix()),
        op.verb() == KvOp.Verb.CHECK_INDEX && op.index() < 0
            ? "check-index compares a modify index, not " + op.index()
            : null,
        op.verb() == KvOp.Verb.CHECK_SESSION ? id("session", op.session()) : null);
  }

  private static String sessionCreate(ControlCommand.SessionCreate create) {
    long ttl = create.ttlMillis();
    long delay = create.lockDelayMillis();
    return first(
        id("session", create.id()),
        name("session's member", create.node()),
        !utf8Within(create.name(), MAX_SESSION_NAME_BYTES) || hasControl(create.name())
            ? "session name is not 0.."
                + MAX_SESSION_NAME_BYTES
                + " bytes of UTF-8 without control characters"
            : null,
        ttl != 0 && (ttl < MIN_SESSION_TTL_MILLIS || ttl > MAX_SESSION_TTL_MILLIS)
            ? "session TTL "
                + ttl
                + " ms is not 0 (none) or "
                + MIN_SESSION_TTL_MILLIS
                + ".."
                + MAX_SESSION_TTL_MILLIS
            : null,
        delay < 0 || delay > MAX_LOCK_DELAY_MILLIS
            ? "lock delay " + delay + " ms is not 0.." + MAX_LOCK_DELAY_MILLIS
            : null);
  }

  private static String kvDelete(ControlCommand.KvDelete delete) {
    if (delete.recurse() && delete.casIndex() != -1) {
      return "a recursive KV delete cannot compare-and-set (cas " + delete.casIndex() + ")";
    }
    // An empty prefix deletes every key, as Consul's DELETE /v1/kv/?recurse does.
    return first(kvKey(delete.key(), delete.recurse()), casIndex(delete.casIndex()));
  }

  /** The register's own fields were checked when its records were built; the count and ids here. */
  private static String catalogRegister(ControlCommand.CatalogRegister register) {
    List<ExternalCheck> checks = register.checks();
    if (checks.size() > ExternalRules.MAX_CHECKS_PER_COMMAND) {
      return checks.size()
          + " checks in one registration, more than "
          + ExternalRules.MAX_CHECKS_PER_COMMAND;
    }
    for (int i = 0; i < checks.size(); i++) {
      for (int j = i + 1; j < checks.size(); j++) {
        if (checks.get(i).checkId().equals(checks.get(j).checkId())) {
          return "check id " + shown(checks.get(i).checkId()) + " twice in one registration";
        }
      }
    }
    return null;
  }

  private static String kvKey(String key, boolean emptyAllowed) {
    if ((key.isEmpty() && !emptyAllowed) || !utf8Within(key, MAX_KV_KEY_BYTES) || hasControl(key)) {
      return "KV key "
          + shown(key)
          + " is not 1.."
          + MAX_KV_KEY_BYTES
          + " bytes of UTF-8 without control characters";
    }
    return null;
  }

  private static String casIndex(long casIndex) {
    return casIndex < -1 ? "cas index " + casIndex + " is below -1" : null;
  }

  private static String id(String what, String id) {
    return isName(id, MAX_NAME_BYTES, false) ? null : what + " id " + shown(id) + nameRule();
  }

  private static String name(String what, String name) {
    return isName(name, MAX_NAME_BYTES, false) ? null : what + " name " + shown(name) + nameRule();
  }

  private static String nameRule() {
    return " is not 1.."
        + MAX_NAME_BYTES
        + " bytes of ASCII letters, digits, '-', '_', '.'"
        + " starting with a letter or digit";
  }

  private static String address(Address address) {
    if (address.port() == 0) {
      return "member port 0";
    }
    return host("member address host", address.host(), false);
  }

  /**
   * A host: letters, digits and the punctuation of DNS names and IP literals ('-', '.', ':', '_').
   * Addresses reach the log from the leader's admission check, which resolved them; this only keeps
   * control characters and unbounded text out.
   */
  private static String host(String what, String host, boolean emptyAllowed) {
    if (host.isEmpty()) {
      return emptyAllowed ? null : what + " is empty";
    }
    if (host.length() > MAX_HOST_BYTES) {
      return what + " " + shown(host) + " is longer than " + MAX_HOST_BYTES + " bytes";
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!isLetterOrDigit(c, false) && c != '-' && c != '.' && c != ':' && c != '_') {
        return what
            + " "
            + shown(host)
            + " has a character other than letters, digits, '-', '.',"
            + " ':', '_'";
      }
    }
    return null;
  }

  private static String roles(List<String> roles) {
    if (roles.size() > MAX_ROLES) {
      return roles.size() + " roles, more than " + MAX_ROLES;
    }
    for (String role : roles) {
      if (!isName(role, MAX_SHORT_NAME_BYTES, true)) {
        return "role "
            + shown(role)
            + " is not 1.."
            + MAX_SHORT_NAME_BYTES
            + " bytes of lower-case letters, digits, '-', '_', '.'";
      }
    }
    return null;
  }

  private static String zone(String zone) {
    if (zone.isEmpty() || isName(zone, MAX_SHORT_NAME_BYTES, false)) {
      return null;
    }
    return "zone "
        + shown(zone)
        + " is not 0.."
        + MAX_SHORT_NAME_BYTES
        + " bytes of ASCII letters, digits, '-', '_', '.'";
  }

  private static String incarnation(long incarnation) {
    if (incarnation < 0 || incarnation > MAX_INCARNATION) {
      return "incarnation " + incarnation + " is not 0..2^62";
    }
    return null;
  }

  private static String localHealth(int localHealth) {
    if (localHealth < 0 || localHealth > MAX_LOCAL_HEALTH) {
      return "local health " + localHealth + " is not 0.." + MAX_LOCAL_HEALTH;
    }
    return null;
  }

  private static String nonNegative(String what, long value) {
    return value < 0 ? what + " " + value + " is negative" : null;
  }

  /** The first problem of several, or null. */
  private static String first(String... problems) {
    for (String problem : problems) {
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** ASCII only, so chars are bytes. */
  static boolean isName(String value, int maxBytes, boolean lowerCaseOnly) {
    int length = value.length();
    if (length == 0 || length > maxBytes || !isLetterOrDigit(value.charAt(0), lowerCaseOnly)) {
      return false;
    }
    for (int i = 1; i < length; i++) {
      char c = value.charAt(i);
      if (!isLetterOrDigit(c, lowerCaseOnly) && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isLetterOrDigit(char c, boolean lowerCaseOnly) {
    return (c >= 'a' && c <= 'z')
        || (!lowerCaseOnly && c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9');
  }

  static boolean hasControl(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code value} takes at most {@code maxBytes} of UTF-8, counted only when in doubt. */
  static boolean utf8Within(String value, int maxBytes) {
    if (value.length() > maxBytes) {
      return false; // every char takes at least one byte
    }
    if (value.length() * 3 <= maxBytes) {
      return true; // a char takes at most three bytes (a surrogate pair four for two chars)
    }
    return value.getBytes(StandardCharsets.UTF_8).length <= maxBytes;
  }

  /**
   * A string for an error message: at most 40 chars, control characters escaped, so neither a 60 KB
   * name nor a CR reaches a log line.
   */
  static String shown(String value) {
    StringBuilder shown = new StringBuilder("'");
    int end = Math.min(value.length(), 40);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        shown.append(String.format("\\u%04x", (int) c));
      } else {
        shown.append(c);
      }
    }
    shown.append(value.length() > end ? "'... (" + value.length() + " chars)" : "'");
    return shown.toString();
  }
}
