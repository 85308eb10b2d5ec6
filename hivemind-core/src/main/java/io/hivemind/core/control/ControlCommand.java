package io.hivemind.core.control;

import io.hivemind.core.acl.AclToken;
import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change proposed to the control plane's replicated state. Decoded once from the log entry's
 * bytes ({@code WireControlCodec}); {@link ControlState#apply} decides deterministically, so every
 * replica reaches the same state and the same result.
 */
public sealed interface ControlCommand {

  /** The first entry of a cluster's log: names the cluster and environment it serves. */
  record Bootstrap(String cluster, String environment) implements ControlCommand {
    public Bootstrap {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(environment, "environment");
    }
  }

  /**
   * Admits {@code candidate} (its admitted epoch and index are set by the state machine). Refused
   * when the name belongs to another admitted member, the id was admitted before, or no admitted
   * member performs one of {@code requiredRoles} (seed 001: a node can require roles to be present
   * before it operates; it retries until they are). {@code joinProof} proves the candidate knows
   * the cluster's join token; the control node that receives the request checks it and proposes the
   * command without it, so the log never holds it ("" once stripped).
   */
  record AdmitMember(ControlMember candidate, List<String> requiredRoles, String joinProof)
      implements ControlCommand {
    public AdmitMember {
      Objects.requireNonNull(candidate, "candidate");
      requiredRoles = List.copyOf(requiredRoles);
      Objects.requireNonNull(joinProof, "joinProof");
    }

    /** An admission with no required roles and no proof. */
    public AdmitMember(ControlMember candidate) {
      this(candidate, List.of(), "");
    }

    /** This admission as it may enter the log: without the proof. */
    public AdmitMember withoutProof() {
      return new AdmitMember(candidate, requiredRoles, "");
    }
  }

  /**
   * Several commands in one log entry, applied in order at the entry's index and time, each with
   * its own result ({@link ApplyResult.Batched}): a control node groups the commands that arrive
   * while earlier ones are being committed, so one fsynced Raft round commits many (group commit).
   * Never nested.
   */
  record Batch(List<ControlCommand> commands) implements ControlCommand {
    public Batch {
      commands = List.copyOf(commands);
      for (ControlCommand command : commands) {
        if (command instanceof Batch) {
          throw new IllegalArgumentException("a batch holds no batch");
        }
      }
    }
  }

  /** Removes the member with {@code memberId}; the epoch advances. */
  record RemoveMember(String memberId, RemovalReason reason, List<String> observers)
      implements ControlCommand {
    public RemoveMember {
      Objects.requireNonNull(memberId, "memberId");
      Objects.requireNonNull(reason, "reason");
      observers = List.copyOf(observers);
    }
  }

  /**
   * Observers' reports about other members' liveness, batched by the control node that received
   * them. Applying them runs the removal rule ({@link RemovalRule}); a removal it decides is part
   * of the same apply, so every replica removes at the same index.
   */
  record ReportObservations(List<Observation> observations) implements ControlCommand {
    public ReportObservations {
      observations = List.copyOf(observations);
    }
  }

  /**
   * Advances the removal rule's clock to the entry's time (the leader commits one periodically).
   */
  record Tick() implements ControlCommand {}

  /** An event a role publishes (seed 001: a host node's configuration update). */
  record AppendEvent(String type, String source, byte[] payload) implements ControlCommand {
    public AppendEvent {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(source, "source");
      payload = payload.clone();
    }

    /** A copy of the payload. */
    @Override
    public byte[] payload() {
      return payload.clone();
    }

    /** The payload's length, without copying it. */
    public int payloadLength() {
      return payload.length;
    }

    /** Compares the payload's bytes (a record would compare the array's identity). */
    @Override
    public boolean equals(Object other) {
      return other instanceof AppendEvent that
          && type.equals(that.type)
          && source.equals(that.source)
          && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
      return Objects.hash(type, source, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
      return "AppendEvent[type="
          + type
          + ", source="
          + source
          + ", payload="
          + payload.length
          + " bytes]";
    }
  }

  /**
   * Sets a KV entry. {@code casIndex} is -1 for an unconditional write, 0 to write only when the
   * key is absent, else the modify index the entry must still have (Consul's {@code ?cas}).
   */
  record KvSet(String key, byte[] value, long flags, long casIndex) implements ControlCommand {
    public KvSet {
      Objects.requireNonNull(key, "key");
      value = value.clone();
    }

    /** A copy of the value. */
    @Override
    public byte[] value() {
      return value.clone();
    }

    /** The value's length, without copying it. */
    public int valueLength() {
      return value.length;
    }

    /** Compares the value's bytes (a record would compare the array's identity). */
    @Override
    public boolean equals(Object other) {
      return other instanceof KvSet that
          && key.equals(that.key)
          && Arrays.equals(value, that.value)
          && flags == that.flags
          && casIndex == that.casIndex;
    }

    @Override
    public int hashCode() {
      return Objects.hash(key, Arrays.hashCode(value), flags, casIndex);
    }

    @Override
    public String toString() {
      return "KvSet[key="
          + key
          + ", value="
          + value.length
          + " bytes, flags="
          + flags
          + ", casIndex="
          + casIndex
          + "]";
    }
  }

  /**
   * Deletes a KV entry, or every entry under the prefix {@code key} when {@code recurse}. {@code
   * casIndex} as for {@link KvSet} (-1 unconditional; not allowed with recurse).
   */
  record KvDelete(String key, boolean recurse, long casIndex) implements ControlCommand {
    public KvDelete {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * Acquires ({@code acquire}) or releases the lock on a KV key for {@code session}, setting its
   * value and flags as a write does (Consul's {@code ?acquire=} and {@code ?release=}). An acquire
   * is refused ({@link RefusalCode#LOCK_REFUSED}, Consul's {@code false}) while another session
   * holds the key or its lock delay runs; a release, unless this session holds it. Refused {@link
   * RefusalCode#NO_SESSION} when the session does not exist.
   */
  record KvLock(String key, byte[] value, long flags, String session, boolean acquire)
      implements ControlCommand {
    public KvLock {
      Objects.requireNonNull(key, "key");
      value = value.clone();
      Objects.requireNonNull(session, "session");
    }

    /** A copy of the value. */
    @Override
    public byte[] value() {
      return value.clone();
    }

    /** The value's length, without copying it. */
    public int valueLength() {
      return value.length;
    }

    /** Compares the value's bytes (a record would compare the array's identity). */
    @Override
    public boolean equals(Object other) {
      return other instanceof KvLock that
          && key.equals(that.key)
          && Arrays.equals(value, that.value)
          && flags == that.flags
          && session.equals(that.session)
          && acquire == that.acquire;
    }

    @Override
    public int hashCode() {
      return Objects.hash(key, Arrays.hashCode(value), flags, session, acquire);
    }

    @Override
    public String toString() {
      return (acquire ? "KvLock[acquire key=" : "KvLock[release key=")
          + key
          + ", value="
          + value.length
          + " bytes, flags="
          + flags
          + ", session="
          + session
          + "]";
    }
  }

  /**
   * Consul's KV transaction ({@code PUT /v1/txn}): the operations apply in order, all or none. The
   * first that fails refuses the whole entry with its position ({@link
   * ApplyResult.Refused#operation}) and nothing changes; applied, the result lists what the reads
   * found and what the writes left ({@link ApplyResult.Applied#kv}).
   */
  record KvTxn(List<KvOp> ops) implements ControlCommand {
    public KvTxn {
      ops = List.copyOf(ops);
    }
  }

  /**
   * Creates session {@code id} bound to the admitted member named {@code node} (docs/sessions.md).
   * The proposing agent chooses the id (a random UUID) and the state machine refuses one that
   * exists; {@code ttlMillis} 0 means no TTL.
   */
  record SessionCreate(
      String id,
      String name,
      String node,
      SessionBehavior behavior,
      long ttlMillis,
      long lockDelayMillis)
      implements ControlCommand {
    public SessionCreate {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(behavior, "behavior");
    }
  }

  /**
   * Renews session {@code id}'s TTL at the entry's time. {@code node} is the session's member, as
   * the proposer read it: the ACL check is on it, so the state machine refuses a session of another
   * node ({@link RefusalCode#NO_SESSION}, as for an absent one).
   */
  record SessionRenew(String id, String node) implements ControlCommand {
    public SessionRenew {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(node, "node");
    }
  }

  /**
   * Destroys session {@code id}: its locks are released or its keys deleted, by its behaviour.
   * Destroying an absent session succeeds and changes nothing (Consul); {@code node} as for {@link
   * SessionRenew}.
   */
  record SessionDestroy(String id, String node) implements ControlCommand {
    public SessionDestroy {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(node, "node");
    }
  }

  /**
   * Creates or replaces the token with its accessor id (docs/acl.md). The token carries only its
   * secret's hash; its indexes are set by the state machine.
   */
  record AclTokenUpsert(AclToken token) implements ControlCommand {
    public AclTokenUpsert {
      Objects.requireNonNull(token, "token");
    }
  }

  /** Deletes the token with {@code accessorId}; deleting an absent one changes nothing. */
  record AclTokenDelete(String accessorId) implements ControlCommand {
    public AclTokenDelete {
      Objects.requireNonNull(accessorId, "accessorId");
    }
  }

  /**
   * Registers an external node, and optionally one of its services and some checks, until
   * deregistered (Consul's {@code PUT /v1/catalog/register}, issue 11). The node's fields replace
   * the registered ones unless {@code skipNodeUpdate} and the node exists; the service and each
   * check replace the one with their id. A check naming a service names one of this node's, the one
   * registered here included. Re-registering the same fields changes nothing, not even an index.
   */
  record CatalogRegister(
      ExternalNode node,
      Optional<ExternalService> service,
      List<ExternalCheck> checks,
      boolean skipNodeUpdate)
      implements ControlCommand {
    public CatalogRegister {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(service, "service");
      checks = List.copyOf(checks);
    }
  }

  /**
   * Deregisters, as Consul's {@code PUT /v1/catalog/deregister} does: the service {@code serviceId}
   * with its checks, and/or the check {@code checkId}, or the whole node with everything when both
   * are "". Deregistering what is absent succeeds and changes nothing.
   */
  record CatalogDeregister(String node, String serviceId, String checkId)
      implements ControlCommand {
    public CatalogDeregister {
      ExternalRules.nodeName(Objects.requireNonNull(node, "node"));
      ExternalRules.id("service id", Objects.requireNonNull(serviceId, "serviceId"), true);
      ExternalRules.id("check id", Objects.requireNonNull(checkId, "checkId"), true);
    }
  }

  /**
   * Commits the next partition table (issue 13). Only the control plane's leader proposes one; the
   * state machine refuses it (INVALID) unless its version is the committed table's plus one (1 for
   * the first), every member it names is admitted, and its partition and backup counts are those of
   * the committed table (fixed once set, ADR 0006).
   */
  record CommitPartitionTable(PartitionTable table, List<PartitionMove> inFlight)
      implements ControlCommand {
    public CommitPartitionTable {
      Objects.requireNonNull(table, "table");
      inFlight = List.copyOf(inFlight);
    }

    /** A table with no move in flight. */
    public CommitPartitionTable(PartitionTable table) {
      this(table, List.of());
    }

    @Override
    public String toString() {
      return "CommitPartitionTable[version="
          + table.version()
          + ", partitions="
          + table.partitionCount()
          + ", backups="
          + table.backupCount()
          + ", members="
          + table.members().size()
          + ", inFlight="
          + inFlight.size()
          + "]";
    }
  }

  /**
   * The destinations of these moves caught up (issue 13; reported by the partitions' owners,
   * submitted by their agents). The state machine completes every listed move still in flight in
   * the committed table (the destination replaces the source; a fill adds it) and raises the
   * table's version by one in the same entry; moves not in flight are ignored, and when none
   * applies the command changes nothing (a repeated report is harmless).
   *
   * @param tableVersion the table version the reporter saw (informational)
   * @param moves the moves with the version their run started at ({@link MoveInFlight}): a report
   *     of an earlier run of a move is ignored, at most one per partition of the table
   */
  record CompleteMoves(long tableVersion, List<MoveInFlight> moves) implements ControlCommand {
    public CompleteMoves {
      moves = List.copyOf(moves);
    }
  }

  /**
   * Member {@code memberId} asks to leave the partition table (graceful leave, issue 13): the
   * planner gives it no replica from then on, so everything migrates off it; it should exit once
   * {@link ControlView#holdsPartitions} is false. Refused unless the member is admitted; before the
   * first table it holds nothing and the command changes nothing.
   */
  record DrainMember(String memberId) implements ControlCommand {
    public DrainMember {
      Objects.requireNonNull(memberId, "memberId");
    }
  }
}
