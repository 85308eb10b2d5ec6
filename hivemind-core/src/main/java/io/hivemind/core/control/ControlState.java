package io.hivemind.core.control;

import io.hivemind.core.acl.AclTokens;
import io.hivemind.core.partition.MoveCompletion;
import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionMember;
import io.hivemind.core.partition.PartitionMove;
import io.hivemind.core.partition.PartitionTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The control plane's replicated state machine: the cluster epoch, the registry of admitted
 * members, the event log, the KV store, the ACL tokens, the committed partition table and the
 * removal rule's standing suspicions. Entries in, results and events out; the same on every replica
 * that applies the same entries (docs/protocol/control.md, "Replicated state").
 *
 * <p>Design note. {@link #apply} first checks the index (it must rise), then the entry's field
 * rules, then the command's own rules; a refused command changes nothing but the last applied
 * index, and nothing here throws for bad input. Nothing reads a clock: time comes from the entry
 * (the proposer's clock), so replaying the log reproduces every event and removal decision. The
 * epoch starts at 0, the bootstrap entry sets it to 1, and each admission and each removal raises
 * it by one. {@link #view()} is rebuilt lazily after an apply, and only the parts that changed are
 * copied, so readers may call it as often as they like.
 *
 * <p>Not thread-safe: owned by the thread that applies committed entries (the Ratis state machine's
 * apply thread on a control node, the follow feed's thread on a plain agent). Readers use {@link
 * #view()}, an immutable snapshot.
 */
public final class ControlState {

  /** Events retained by default: hours of membership churn for a follower to catch up on. */
  public static final int DEFAULT_RETAINED_EVENTS = 10_000;

  /** Removed ids remembered (see {@link MemberRegistry}); every replica must use the same. */
  public static final int MAX_REMOVED_IDS = 10_000;

  /** Most sessions the state holds: each costs every replica memory and a snapshot bytes. */
  public static final int MAX_SESSIONS = 65_536;

  /** Longest removal reason an event carries from the removal rule. */
  private static final int MAX_WHY_CHARS = 1024;

  private final MemberRegistry registry = new MemberRegistry(MAX_REMOVED_IDS);
  private final RemovalRule removalRule;
  private final EventLog events;
  private final KvStore kv;
  private final ExternalCatalogStore external;
  private long lastApplied;
  private long epoch;
  private String cluster = "";
  private String environment = "";
  private AclTokens acl = AclTokens.EMPTY;
  private Optional<CommittedPartitionTable> partitionTable = Optional.empty();
  private SessionTable sessions = SessionTable.EMPTY;
  private ControlView view;

  private ControlState(
      RemovalPolicy policy, EventLog events, KvStore kv, ExternalCatalogStore external) {
    this.removalRule = new RemovalRule(policy);
    this.events = events;
    this.kv = kv;
    this.external = external;
  }

  /** An empty state, before the bootstrap entry. */
  public static ControlState empty(RemovalPolicy policy) {
    return empty(policy, DEFAULT_RETAINED_EVENTS);
  }

  /** An empty state that retains the last {@code retainedEvents} events (at least 1). */
  public static ControlState empty(RemovalPolicy policy, int retainedEvents) {
    return new ControlState(
        policy,
        new EventLog(retainedEvents, 0),
        new KvStore(new TreeMap<>()),
        new ExternalCatalogStore(ExternalCatalog.EMPTY));
  }

  /** The state a snapshot describes (with the removal rule's suspicions). */
  public static ControlState restore(ControlSnapshot snapshot, RemovalPolicy policy) {
    return restore(snapshot, policy, DEFAULT_RETAINED_EVENTS);
  }

  /**
   * The state a snapshot describes, retaining at most {@code retainedEvents} of its events. The
   * snapshot comes from {@link #snapshot()} or {@link WireControlCodec#decodeSnapshot}, which
   * checked it.
   */
  public static ControlState restore(
      ControlSnapshot snapshot, RemovalPolicy policy, int retainedEvents) {
    ControlView from = snapshot.view();
    EventLog events = new EventLog(retainedEvents, from.firstRetainedEventIndex());
    from.events().forEach(events::append);
    ControlState state =
        new ControlState(
            policy, events, new KvStore(from.kv()), new ExternalCatalogStore(from.external()));
    state.lastApplied = from.index();
    state.epoch = from.epoch();
    state.cluster = from.cluster();
    state.environment = from.environment();
    state.acl = from.acl();
    state.partitionTable = from.partitionTable();
    state.sessions = from.sessions();
    state.registry.restore(from.members(), snapshot.removedIds());
    state.removalRule.restore(snapshot.suspicions());
    return state;
  }

  /**
   * Applies the committed entry at {@code index} (must be above the last applied index; an entry at
   * or below it is ignored and answered as refused INVALID). Never throws for bad input: a command
   * that breaks a rule is refused, and nothing changes but the last applied index.
   */
  public ApplyResult apply(long index, ControlEntry entry) {
    if (index <= lastApplied) {
      return stale(index);
    }
    advance(index);
    String problem = ControlFieldRules.entryProblem(entry);
    if (problem != null) {
      return refuse(index, RefusalCode.INVALID, problem);
    }
    sessions = sessions.atTime(entry.timeMillis());
    if (entry.command() instanceof ControlCommand.Batch batch) {
      List<ApplyResult> results = new ArrayList<>(batch.commands().size());
      // What KV transactions read travels back in the one answer: they share one budget.
      long readRoom = ControlFieldRules.MAX_TXN_RESULT_BYTES;
      for (ControlCommand command : batch.commands()) {
        String commandProblem = ControlFieldRules.commandProblem(command);
        ApplyResult result =
            commandProblem != null
                ? refuse(index, RefusalCode.INVALID, commandProblem)
                : new Apply(index, entry.timeMillis(), readRoom).run(command);
        if (result instanceof ApplyResult.Applied applied) {
          readRoom -= KvTxnResults.bytes(applied.kv());
        }
        results.add(result);
      }
      return new ApplyResult.Batched(index, results);
    }
    return new Apply(index, entry.timeMillis(), ControlFieldRules.MAX_TXN_RESULT_BYTES)
        .run(entry.command());
  }

  /**
   * Applies the entry's bytes: decodes them ({@link WireControlCodec}) and applies; bytes that do
   * not decode are refused INVALID at that index (deterministically on every replica).
   */
  public ApplyResult apply(long index, byte[] entryBytes) {
    if (index <= lastApplied) {
      return stale(index);
    }
    ControlEntry entry;
    try {
      entry = WireControlCodec.decodeEntry(entryBytes);
    } catch (ControlDecodeException e) {
      advance(index);
      return refuse(index, RefusalCode.INVALID, e.getMessage());
    }
    return apply(index, entry);
  }

  /**
   * Advances past a log index that carries no command (a Raft leader's no-op, a configuration
   * change), so every replica's index is the log's: a control node skips it, a follower fed an
   * empty entry for it refuses that entry, and both end at the same index with the same state.
   */
  public void skip(long index) {
    if (index > lastApplied) {
      advance(index);
    }
  }

  private ApplyResult stale(long index) {
    return refuse(
        index,
        RefusalCode.INVALID,
        "index " + index + " is not above the last applied index " + lastApplied);
  }

  private void advance(long index) {
    lastApplied = index;
    view = null;
  }

  /** Suspicions the removal rule holds: while there are any, the leader commits ticks. */
  public int standingSuspicions() {
    return removalRule.suspicions().size();
  }

  /** Whether a session has a TTL: while one has, the leader commits ticks so that it can expire. */
  public boolean sessionsExpire() {
    return sessions.hasTtl();
  }

  /** The last applied index. */
  public long lastAppliedIndex() {
    return lastApplied;
  }

  /** The immutable view readers see; cheap to call repeatedly between applies. */
  public ControlView view() {
    if (view == null) {
      view =
          new ControlView(
              lastApplied,
              epoch,
              cluster,
              environment,
              registry.members(),
              kv.view(),
              events.list(),
              events.firstRetainedIndex(),
              external.view(),
              acl,
              partitionTable,
              sessions);
    }
    return view;
  }

  /** Everything needed to restore this state elsewhere, at {@link #lastAppliedIndex()}. */
  public ControlSnapshot snapshot() {
    return new ControlSnapshot(view(), removalRule.suspicions(), registry.removedIds());
  }

  private static ApplyResult refuse(long index, RefusalCode code, String message) {
    return new ApplyResult.Refused(index, code, message);
  }

  /**
   * One command's application: its entry's index and time, the events it appends, and the room left
   * in the entry's answer for what a KV transaction reads.
   */
  private final class Apply {
    private final long index;
    private final long timeMillis;
    private final long readRoom;
    private final List<ControlEvent> appended = new ArrayList<>();

    Apply(long index, long timeMillis, long readRoom) {
      this.index = index;
      this.timeMillis = timeMillis;
      this.readRoom = readRoom;
    }

    ApplyResult run(ControlCommand command) {
      if (command instanceof ControlCommand.Bootstrap bootstrap) {
        return bootstrap(bootstrap);
      }
      if (cluster.isEmpty()) {
        return refuse(
            index, RefusalCode.NOT_BOOTSTRAPPED, "the log has no bootstrap entry before this one");
      }
      if (command instanceof ControlCommand.AdmitMember admit) {
        return admit(admit.candidate(), admit.requiredRoles());
      } else if (command instanceof ControlCommand.RemoveMember remove) {
        return remove(remove);
      } else if (command instanceof ControlCommand.ReportObservations report) {
        return report(report.observations());
      } else if (command instanceof ControlCommand.Tick) {
        return decide();
      } else if (command instanceof ControlCommand.AppendEvent event) {
        append(event.type(), event.source(), event.payload());
        return applied();
      } else if (command instanceof ControlCommand.KvSet set) {
        return kvResult(kv.set(set, index));
      } else if (command instanceof ControlCommand.KvDelete delete) {
        return kvResult(kv.delete(delete));
      } else if (command instanceof ControlCommand.KvLock lock) {
        return kvLock(lock);
      } else if (command instanceof ControlCommand.KvTxn txn) {
        return kvTxn(txn);
      } else if (command instanceof ControlCommand.SessionCreate create) {
        return createSession(create);
      } else if (command instanceof ControlCommand.SessionRenew renew) {
        return renewSession(renew);
      } else if (command instanceof ControlCommand.SessionDestroy destroy) {
        return destroySession(destroy);
      } else if (command instanceof ControlCommand.AclTokenUpsert upsert) {
        return aclResult(acl.upsert(upsert.token(), index));
      } else if (command instanceof ControlCommand.AclTokenDelete delete) {
        return aclResult(acl.delete(delete.accessorId()));
      } else if (command instanceof ControlCommand.CatalogRegister register) {
        return invalidUnless(external.register(register, index));
      } else if (command instanceof ControlCommand.CatalogDeregister deregister) {
        return invalidUnless(external.deregister(deregister, index));
      } else if (command instanceof ControlCommand.CommitPartitionTable commit) {
        return commitPartitionTable(commit.table(), commit.inFlight());
      } else if (command instanceof ControlCommand.CompleteMoves complete) {
        return completeMoves(complete.moves());
      } else if (command instanceof ControlCommand.DrainMember drain) {
        return drainMember(drain.memberId());
      }
      // A command added to ControlCommand but not here: refused alike everywhere, never thrown.
      return refuse(index, RefusalCode.INVALID, "no rule applies " + command.getClass().getName());
    }

    private ApplyResult bootstrap(ControlCommand.Bootstrap bootstrap) {
      if (!cluster.isEmpty()) {
        return refuse(
            index,
            RefusalCode.ALREADY_BOOTSTRAPPED,
            "cluster " + cluster + " was bootstrapped already; a log has one bootstrap entry");
      }
      cluster = bootstrap.cluster();
      environment = bootstrap.environment();
      epoch = 1;
      append(ControlEvent.EPOCH_CHANGED, cluster, text("bootstrap"));
      return applied();
    }

    private ApplyResult admit(ControlMember candidate, List<String> requiredRoles) {
      if (registry.byId(candidate.id()) != null || registry.removedAt(candidate.id()) != null) {
        return refuse(index, RefusalCode.ID_REUSED, idReused(candidate.id()));
      }
      List<String> missing = registry.missingRoles(requiredRoles);
      if (!missing.isEmpty()) {
        return refuse(
            index,
            RefusalCode.ROLES_MISSING,
            candidate.name() + " requires roles no admitted member performs yet: " + missing);
      }
      ControlMember holder = registry.byName(candidate.name());
      if (holder != null) {
        return refuse(
            index,
            RefusalCode.NAME_TAKEN,
            "name " + candidate.name() + " belongs to admitted member " + holder.id());
      }
      epoch++;
      ControlMember member = candidate.admitted(epoch, index);
      registry.add(member);
      append(ControlEvent.MEMBER_ADMITTED, member.name(), text(admittedPayload(member)));
      append(ControlEvent.EPOCH_CHANGED, member.name(), text(ControlEvent.MEMBER_ADMITTED));
      return applied();
    }

    private String idReused(String id) {
      Long removedAt = registry.removedAt(id);
      return removedAt == null
          ? "id " + id + " belongs to an admitted member"
          : "id " + id + " was removed at index " + removedAt + "; a node rejoins with a new id";
    }

    private ApplyResult remove(ControlCommand.RemoveMember remove) {
      if (registry.byId(remove.memberId()) == null) {
        Long removedAt = registry.removedAt(remove.memberId());
        return refuse(
            index,
            RefusalCode.UNKNOWN_MEMBER,
            "no admitted member has id "
                + remove.memberId()
                + (removedAt == null ? "" : " (removed at index " + removedAt + ")"));
      }
      removeMember(remove.memberId(), remove.reason(), remove.observers(), "");
      return applied();
    }

    /** Feeds admitted observers' reports about admitted subjects to the rule, then decides. */
    private ApplyResult report(List<Observation> observations) {
      for (Observation observation : observations) {
        if (!observation.observer().equals(observation.subject())
            && registry.byId(observation.observer()) != null
            && registry.byId(observation.subject()) != null) {
          removalRule.observe(observation, timeMillis);
        }
      }
      return decide();
    }

    /**
     * Removes, as FAILED, every member the rule decides on at this entry's time, and ends the
     * sessions whose TTL ran out.
     */
    private ApplyResult decide() {
      for (Session expired : sessions.expiredAt(timeMillis)) {
        endSession(expired);
      }
      sessions = sessions.withoutLockDelaysEndedBy(timeMillis);
      for (RemovalDecision decision : removalRule.decide(timeMillis, registry.members())) {
        if (registry.byId(decision.memberId()) != null) {
          removeMember(
              decision.memberId(), RemovalReason.FAILED, decision.observers(), decision.why());
        }
      }
      return applied();
    }

    private void removeMember(String id, RemovalReason reason, List<String> observers, String why) {
      ControlMember member = registry.byId(id);
      epoch++;
      registry.remove(id, index);
      removalRule.forget(id);
      // Consul binds a session to its node's health: a member that is gone holds no lock.
      for (Session bound : sessions.ofNode(member.name())) {
        endSession(bound);
      }
      String type =
          reason == RemovalReason.LEFT ? ControlEvent.MEMBER_LEFT : ControlEvent.MEMBER_REMOVED;
      append(type, member.name(), text(removedPayload(member, reason, observers, why)));
      append(ControlEvent.EPOCH_CHANGED, member.name(), text(type));
    }

    private ApplyResult kvLock(ControlCommand.KvLock lock) {
      if (sessions.get(lock.session()) == null) {
        return refuse(index, RefusalCode.NO_SESSION, noSession(lock.session()));
      }
      String refusal = kv.lock(lock, index, sessions.lockDelayUntil(lock.key()), timeMillis);
      return refusal == null ? applied() : refuse(index, RefusalCode.LOCK_REFUSED, refusal);
    }

    /**
     * Applies a transaction's operations in order; the first that fails puts the store back as it
     * was and refuses the entry naming it. Reads see the writes before them.
     */
    private ApplyResult kvTxn(ControlCommand.KvTxn txn) {
      KvStore.Mark before = kv.mark();
      ApplyResult result = KvTxnReads.run(txn, index, epoch, readRoom, this::kvOp);
      if (result instanceof ApplyResult.Refused) {
        kv.restore(before);
      }
      return result;
    }

    /**
     * One operation of a transaction: a write as its single-key command, a read or a check against
     * the store as the earlier operations left it. Adds what it answers to {@code results}.
     *
     * @return null, or why it failed
     */
    private ApplyResult.Refused kvOp(KvOp op, List<KvEntry> results) {
      Optional<ControlCommand> write = op.asWrite();
      if (write.isPresent()) {
        ApplyResult result;
        if (write.get() instanceof ControlCommand.KvSet set) {
          result = kvResult(kv.set(set, index));
        } else if (write.get() instanceof ControlCommand.KvLock lock) {
          result = kvLock(lock);
        } else {
          result = kvResult(kv.delete((ControlCommand.KvDelete) write.get()));
        }
        if (result instanceof ApplyResult.Refused refused) {
          return refused;
        }
        KvEntry written = kv.get(op.key());
        if (written != null && !op.verb().onPrefix()) {
          // Consul answers a write with the entry it left, without its value.
          results.add(KvTxnResults.withoutValue(written));
        }
        return null;
      }
      String failed = KvTxnReads.read(op, kv::get, kv::under, results);
      return failed == null
          ? null
          : new ApplyResult.Refused(index, RefusalCode.CAS_MISMATCH, failed);
    }

    private ApplyResult createSession(ControlCommand.SessionCreate create) {
      if (sessions.get(create.id()) != null) {
        return refuse(index, RefusalCode.INVALID, "session " + create.id() + " exists already");
      }
      if (registry.byName(create.node()) == null) {
        return refuse(
            index,
            RefusalCode.UNKNOWN_MEMBER,
            "a session is bound to an admitted member, and none is named " + create.node());
      }
      if (sessions.size() >= MAX_SESSIONS) {
        return refuse(
            index,
            RefusalCode.INVALID,
            "the control plane holds " + MAX_SESSIONS + " sessions, its most; destroy some first");
      }
      sessions =
          sessions.with(
              new Session(
                  create.id(),
                  create.name(),
                  create.node(),
                  create.behavior(),
                  create.ttlMillis(),
                  create.lockDelayMillis(),
                  index,
                  timeMillis));
      return applied();
    }

    private ApplyResult renewSession(ControlCommand.SessionRenew renew) {
      Session session = sessions.get(renew.id());
      if (session == null || !session.node().equals(renew.node())) {
        return refuse(index, RefusalCode.NO_SESSION, noSession(renew.id()));
      }
      sessions = sessions.with(session.renewedAt(timeMillis));
      return applied();
    }

    private ApplyResult destroySession(ControlCommand.SessionDestroy destroy) {
      Session session = sessions.get(destroy.id());
      if (session == null) {
        return applied();
      }
      if (!session.node().equals(destroy.node())) {
        return refuse(index, RefusalCode.NO_SESSION, noSession(destroy.id()));
      }
      endSession(session);
      return applied();
    }

    /**
     * Ends a session: its keys are released or deleted, each kept from a new holder for the
     * session's lock delay (Consul's guard against two holders: the old one may not know yet).
     */
    private void endSession(Session session) {
      for (String key : kv.endLocks(session.id(), session.behavior(), index)) {
        if (session.lockDelayMillis() > 0) {
          sessions = sessions.withLockDelay(key, timeMillis + session.lockDelayMillis());
        }
      }
      sessions = sessions.without(session.id());
    }

    private ApplyResult kvResult(String casMismatch) {
      return casMismatch == null ? applied() : refuse(index, RefusalCode.CAS_MISMATCH, casMismatch);
    }

    /** A token change: the tokens move on, or the refusal changes nothing (INVALID). */
    private ApplyResult aclResult(AclTokens.Change change) {
      if (change.refusal() != null) {
        return refuse(index, RefusalCode.INVALID, change.refusal());
      }
      acl = change.tokens();
      return applied();
    }

    /**
     * The next partition table: its version follows the committed one's, its counts are the
     * committed one's (a count change would rehash every key, ADR 0006), and it names only admitted
     * members, with the host and zone they were admitted with (anti-affinity was planned on them).
     * A stale proposal (a former leader's, or one planned before a removal committed) is refused.
     */
    private ApplyResult commitPartitionTable(PartitionTable table, List<PartitionMove> inFlight) {
      String problem = partitionTableProblem(table);
      if (problem == null) {
        problem = PartitionMoveRules.inFlightProblem(table, inFlight);
      }
      if (problem != null) {
        return refuse(index, RefusalCode.INVALID, problem);
      }
      // A draining member stays draining until it is removed from the registry.
      List<String> draining =
          partitionTable.map(CommittedPartitionTable::draining).orElse(List.of()).stream()
              .filter(id -> registry.byId(id) != null)
              .toList();
      // A move still in flight keeps the version its run started at; a new one starts now.
      Map<PartitionMove, Long> started =
          partitionTable.map(CommittedPartitionTable::sinceByMove).orElse(Map.of());
      List<Long> since = new ArrayList<>(inFlight.size());
      for (PartitionMove move : inFlight) {
        long at = started.getOrDefault(move, 0L);
        since.add(at > 0 ? at : table.version());
      }
      partitionTable =
          Optional.of(new CommittedPartitionTable(table, index, inFlight, since, draining));
      return applied();
    }

    /**
     * Completes the reported moves still in flight in one new version (copy before drop: each
     * destination replaces its source in the same table). A destination no longer admitted is
     * ignored, as is a move not in flight; if none applies nothing changes and the report is
     * answered Applied, so a repeated report is harmless.
     */
    private ApplyResult completeMoves(List<MoveInFlight> moves) {
      if (partitionTable.isEmpty()) {
        return applied();
      }
      CommittedPartitionTable current = partitionTable.get();
      Map<PartitionMove, Long> since = current.sinceByMove();
      // Only a report of the run in flight counts: an earlier run's destination may have deleted
      // the copy it reported (MoveInFlight).
      List<PartitionMove> admitted =
          moves.stream()
              .filter(m -> m.since() == since.getOrDefault(m.move(), 0L))
              .map(MoveInFlight::move)
              .filter(m -> m.destination() != null && registry.byId(m.destination()) != null)
              .toList();
      MoveCompletion.complete(current.table(), current.inFlight(), admitted)
          .ifPresent(
              done ->
                  partitionTable =
                      Optional.of(
                          new CommittedPartitionTable(
                              done.table(),
                              index,
                              done.inFlight(),
                              done.inFlight().stream()
                                  .map(move -> since.getOrDefault(move, 0L))
                                  .toList(),
                              current.draining())));
      return applied();
    }

    /** Records an admitted member as draining; before the first table it holds nothing. */
    private ApplyResult drainMember(String memberId) {
      if (registry.byId(memberId) == null) {
        return refuse(index, RefusalCode.INVALID, "member " + memberId + " is not admitted");
      }
      if (partitionTable.isEmpty() || partitionTable.get().draining(memberId)) {
        return applied();
      }
      CommittedPartitionTable current = partitionTable.get();
      List<String> draining = new ArrayList<>(current.draining());
      draining.add(memberId);
      partitionTable =
          Optional.of(
              new CommittedPartitionTable(
                  current.table(), current.index(), current.inFlight(), current.since(), draining));
      return applied();
    }

    private String partitionTableProblem(PartitionTable table) {
      long expected = partitionTable.map(c -> c.table().version() + 1).orElse(1L);
      if (table.version() != expected) {
        return "partition table version " + table.version() + " is not the next one, " + expected;
      }
      if (partitionTable.isPresent()) {
        PartitionTable current = partitionTable.get().table();
        if (table.partitionCount() != current.partitionCount()
            || table.backupCount() != current.backupCount()) {
          return "partition and backup counts are fixed at "
              + current.partitionCount()
              + " and "
              + current.backupCount()
              + ", not "
              + table.partitionCount()
              + " and "
              + table.backupCount();
        }
      }
      for (PartitionMember member : table.members()) {
        ControlMember admitted = registry.byId(member.id());
        if (admitted == null) {
          return "partition table member " + member.id() + " is not an admitted member";
        }
        if (!member.zone().equals(admitted.zone())
            || !member.host().equals(PartitionMembers.host(admitted))) {
          return "partition table member "
              + member.id()
              + " has host "
              + member.host()
              + " and zone '"
              + member.zone()
              + "', not its admitted ones";
        }
      }
      return null;
    }

    private ApplyResult invalidUnless(String problem) {
      return problem == null ? applied() : refuse(index, RefusalCode.INVALID, problem);
    }

    private void append(String type, String subject, byte[] payload) {
      ControlEvent event = new ControlEvent(index, epoch, timeMillis, type, subject, payload);
      events.append(event);
      appended.add(event);
    }

    private ApplyResult applied() {
      return new ApplyResult.Applied(index, epoch, appended);
    }
  }

  private static String noSession(String id) {
    return "no session " + id + " exists (it was destroyed, expired, or its member is gone)";
  }

  private static String admittedPayload(ControlMember member) {
    return "id="
        + member.id()
        + " address="
        + member.address()
        + " roles="
        + String.join(",", member.roles())
        + " zone="
        + member.zone()
        + " host="
        + member.host();
  }

  private static String removedPayload(
      ControlMember member, RemovalReason reason, List<String> observers, String why) {
    String payload =
        "id=" + member.id() + " reason=" + reason + " observers=" + String.join(",", observers);
    // The rule's sentence is for people; bounded so the payload stays far below the event limit.
    String shortWhy = why.length() > MAX_WHY_CHARS ? why.substring(0, MAX_WHY_CHARS) : why;
    return why.isEmpty() ? payload : payload + " why=" + shortWhy;
  }

  private static byte[] text(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
