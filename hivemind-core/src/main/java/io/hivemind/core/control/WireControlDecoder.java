package io.hivemind.core.control;

import io.hivemind.core.membership.Address;
import io.hivemind.core.wire.proto.WireAddress;
import io.hivemind.core.wire.proto.WireAppendEvent;
import io.hivemind.core.wire.proto.WireEntry;
import io.hivemind.core.wire.proto.WireEvent;
import io.hivemind.core.wire.proto.WireKvDelete;
import io.hivemind.core.wire.proto.WireKvEntry;
import io.hivemind.core.wire.proto.WireKvSet;
import io.hivemind.core.wire.proto.WireMember;
import io.hivemind.core.wire.proto.WireObservation;
import io.hivemind.core.wire.proto.WireObservationKind;
import io.hivemind.core.wire.proto.WireRefusalCode;
import io.hivemind.core.wire.proto.WireRemovalReason;
import io.hivemind.core.wire.proto.WireRemoveMember;
import io.hivemind.core.wire.proto.WireReportObservations;
import io.hivemind.core.wire.proto.WireSuspicion;
import java.util.ArrayList;
import java.util.List;

/**
 * control.proto messages to records, checking structure on the way (a command present, enums known,
 * counts bounded, an address's port in range) and every field rule once the record is built ({@link
 * ControlFieldRules}), so what comes out is valid and the state machine checks no field again.
 *
 * <p>Switches on field numbers and enum numbers, never on the generated enums: javac compiles an
 * enum switch into a synthetic class whose simple name does not start with "Wire" (see WireDecoder
 * in the membership package). Stateless.
 */
final class WireControlDecoder {

  /** Longest refusal message a result may carry: the state machine writes one short sentence. */
  static final int MAX_MESSAGE_CHARS = 4096;

  private WireControlDecoder() {}

  static ControlEntry entry(WireEntry wire) throws ControlDecodeException {
    long version = Integer.toUnsignedLong(wire.getVersion());
    if (version == 0 || version > ControlEntry.CURRENT_VERSION) {
      throw new ControlDecodeException(
          "entry version "
              + version
              + " is not 1.."
              + ControlEntry.CURRENT_VERSION
              + ": written by a newer agent, or not a control entry");
    }
    ControlEntry entry = new ControlEntry((int) version, wire.getTimeMillis(), command(wire));
    check(ControlFieldRules.entryProblem(entry));
    return entry;
  }

  private static ControlCommand batch(io.hivemind.core.wire.proto.WireBatch wire)
      throws ControlDecodeException {
    if (wire.getEntriesCount() == 0 || wire.getEntriesCount() > ControlFieldRules.MAX_BATCH) {
      throw new ControlDecodeException(
          "a batch holds 1.."
              + ControlFieldRules.MAX_BATCH
              + " commands, not "
              + wire.getEntriesCount());
    }
    List<ControlCommand> commands = new ArrayList<>(wire.getEntriesCount());
    for (WireEntry inner : wire.getEntriesList()) {
      if (inner.getCommandCase().getNumber() == WireEntry.BATCH_FIELD_NUMBER) {
        throw new ControlDecodeException("a batch holds another batch");
      }
      commands.add(command(inner));
    }
    return new ControlCommand.Batch(commands);
  }

  private static ControlCommand command(WireEntry wire) throws ControlDecodeException {
    return switch (wire.getCommandCase().getNumber()) {
      case WireEntry.BOOTSTRAP_FIELD_NUMBER ->
          new ControlCommand.Bootstrap(
              wire.getBootstrap().getCluster(), wire.getBootstrap().getEnvironment());
      case WireEntry.ADMIT_MEMBER_FIELD_NUMBER -> {
        if (!wire.getAdmitMember().hasCandidate()) {
          throw new ControlDecodeException("admission without a candidate");
        }
        yield new ControlCommand.AdmitMember(
            member(wire.getAdmitMember().getCandidate()),
            wire.getAdmitMember().getRequiredRolesList(),
            wire.getAdmitMember().getJoinProof());
      }
      case WireEntry.REMOVE_MEMBER_FIELD_NUMBER -> removeMember(wire.getRemoveMember());
      case WireEntry.REPORT_OBSERVATIONS_FIELD_NUMBER ->
          reportObservations(wire.getReportObservations());
      case WireEntry.TICK_FIELD_NUMBER -> new ControlCommand.Tick();
      case WireEntry.APPEND_EVENT_FIELD_NUMBER -> appendEvent(wire.getAppendEvent());
      case WireEntry.KV_SET_FIELD_NUMBER -> kvSet(wire.getKvSet());
      case WireEntry.KV_DELETE_FIELD_NUMBER -> kvDelete(wire.getKvDelete());
      case WireEntry.BATCH_FIELD_NUMBER -> batch(wire.getBatch());
      case WireEntry.ACL_TOKEN_UPSERT_FIELD_NUMBER -> WireAclCodec.upsert(wire.getAclTokenUpsert());
      case WireEntry.ACL_TOKEN_DELETE_FIELD_NUMBER -> WireAclCodec.delete(wire.getAclTokenDelete());
      case WireEntry.CATALOG_REGISTER_FIELD_NUMBER ->
          WireExternalCodec.register(wire.getCatalogRegister());
      case WireEntry.CATALOG_DEREGISTER_FIELD_NUMBER ->
          WireExternalCodec.deregister(wire.getCatalogDeregister());
      case WireEntry.COMMIT_PARTITION_TABLE_FIELD_NUMBER ->
          WirePartitionCodec.commit(wire.getCommitPartitionTable());
      case WireEntry.COMPLETE_MOVES_FIELD_NUMBER ->
          WirePartitionCodec.complete(wire.getCompleteMoves());
      case WireEntry.DRAIN_MEMBER_FIELD_NUMBER -> WirePartitionCodec.drain(wire.getDrainMember());
      case WireEntry.SESSION_CREATE_FIELD_NUMBER ->
          WireSessionCodec.create(wire.getSessionCreate());
      case WireEntry.SESSION_RENEW_FIELD_NUMBER -> WireSessionCodec.renew(wire.getSessionRenew());
      case WireEntry.SESSION_DESTROY_FIELD_NUMBER ->
          WireSessionCodec.destroy(wire.getSessionDestroy());
      case WireEntry.KV_LOCK_FIELD_NUMBER -> WireSessionCodec.lock(wire.getKvLock());
      case WireEntry.KV_TXN_FIELD_NUMBER -> WireTxnCodec.txn(wire.getKvTxn());
      default -> throw new ControlDecodeException("entry without a command this version knows");
    };
  }

  private static ControlCommand removeMember(WireRemoveMember wire) throws ControlDecodeException {
    WireRemovalReason reason = WireRemovalReason.forNumber(wire.getReasonValue());
    if (reason == null || reason == WireRemovalReason.REMOVAL_REASON_UNSPECIFIED) {
      throw new ControlDecodeException("removal reason " + wire.getReasonValue() + " unknown");
    }
    if (wire.getObserversCount() > ControlFieldRules.MAX_OBSERVERS) {
      throw new ControlDecodeException(wire.getObserversCount() + " observers in a removal");
    }
    return new ControlCommand.RemoveMember(
        wire.getMemberId(), RemovalReason.valueOf(reason.name()), wire.getObserversList());
  }

  private static ControlCommand reportObservations(WireReportObservations wire)
      throws ControlDecodeException {
    int count = wire.getObservationsCount();
    if (count > ControlFieldRules.MAX_OBSERVATIONS) {
      throw new ControlDecodeException(count + " observations in one entry");
    }
    List<Observation> observations = new ArrayList<>(count);
    for (WireObservation observation : wire.getObservationsList()) {
      observations.add(observation(observation));
    }
    return new ControlCommand.ReportObservations(observations);
  }

  private static Observation observation(WireObservation wire) throws ControlDecodeException {
    WireObservationKind kind = WireObservationKind.forNumber(wire.getKindValue());
    if (kind == null || kind == WireObservationKind.OBSERVATION_KIND_UNSPECIFIED) {
      throw new ControlDecodeException("observation kind " + wire.getKindValue() + " unknown");
    }
    return new Observation(
        wire.getObserver(),
        wire.getSubject(),
        wire.getSubjectName(),
        wire.getIncarnation(),
        Observation.Kind.valueOf(kind.name()),
        wire.getLocalHealth(),
        wire.getObservedAtMillis());
  }

  private static ControlCommand appendEvent(WireAppendEvent wire) {
    return new ControlCommand.AppendEvent(
        wire.getType(), wire.getSource(), wire.getPayload().toByteArray());
  }

  private static ControlCommand kvSet(WireKvSet wire) {
    return new ControlCommand.KvSet(
        wire.getKey(), wire.getValue().toByteArray(), wire.getFlags(), wire.getCasIndex());
  }

  private static ControlCommand kvDelete(WireKvDelete wire) {
    return new ControlCommand.KvDelete(wire.getKey(), wire.getRecurse(), wire.getCasIndex());
  }

  /** A member record, its field rules checked. */
  static ControlMember member(WireMember wire) throws ControlDecodeException {
    if (!wire.hasAddress()) {
      throw new ControlDecodeException("member without an address");
    }
    if (wire.getRolesCount() > ControlFieldRules.MAX_ROLES) {
      throw new ControlDecodeException(wire.getRolesCount() + " roles in a member");
    }
    ControlMember member =
        new ControlMember(
            wire.getId(),
            wire.getName(),
            address(wire.getAddress()),
            wire.getRolesList(),
            wire.getZone(),
            wire.getHost(),
            wire.getAdmittedEpoch(),
            wire.getAdmittedIndex());
    check(ControlFieldRules.memberProblem(member));
    return member;
  }

  private static Address address(WireAddress wire) throws ControlDecodeException {
    // uint32 on the wire: 2^31 and above arrive as negative ints.
    long port = Integer.toUnsignedLong(wire.getPort());
    if (port == 0 || port > 65_535) {
      throw new ControlDecodeException("member port " + port + " is not 1..65535");
    }
    if (wire.getHost().isBlank()) {
      throw new ControlDecodeException("member address without a host");
    }
    return new Address(wire.getHost(), (int) port);
  }

  /** An event of the log, its fields bounded. */
  static ControlEvent event(WireEvent wire) throws ControlDecodeException {
    if (wire.getIndex() < 0 || wire.getEpoch() < 0 || wire.getTimeMillis() < 0) {
      throw new ControlDecodeException(
          "event with a negative index, epoch or time: " + wire.getIndex());
    }
    String type = wire.getType();
    if (!ControlFieldRules.isName(type, ControlFieldRules.MAX_SHORT_NAME_BYTES, true)) {
      throw new ControlDecodeException("event type " + ControlFieldRules.shown(type));
    }
    String subject = wire.getSubject();
    if (!ControlFieldRules.utf8Within(subject, ControlFieldRules.MAX_KV_KEY_BYTES)
        || ControlFieldRules.hasControl(subject)) {
      throw new ControlDecodeException("event subject " + ControlFieldRules.shown(subject));
    }
    if (wire.getPayload().size() > ControlFieldRules.MAX_EVENT_PAYLOAD_BYTES) {
      throw new ControlDecodeException("event payload of " + wire.getPayload().size() + " bytes");
    }
    return new ControlEvent(
        wire.getIndex(),
        wire.getEpoch(),
        wire.getTimeMillis(),
        type,
        subject,
        wire.getPayload().toByteArray());
  }

  /** A KV entry of a snapshot, its fields bounded. */
  static KvEntry kvEntry(WireKvEntry wire) throws ControlDecodeException {
    String key = wire.getKey();
    if (key.isEmpty()
        || !ControlFieldRules.utf8Within(key, ControlFieldRules.MAX_KV_KEY_BYTES)
        || ControlFieldRules.hasControl(key)) {
      throw new ControlDecodeException("KV key " + ControlFieldRules.shown(key));
    }
    if (wire.getValue().size() > ControlFieldRules.MAX_KV_VALUE_BYTES) {
      throw new ControlDecodeException("KV value of " + wire.getValue().size() + " bytes");
    }
    if (wire.getCreateIndex() < 0 || wire.getModifyIndex() < wire.getCreateIndex()) {
      throw new ControlDecodeException(
          "KV key "
              + ControlFieldRules.shown(key)
              + " with create index "
              + wire.getCreateIndex()
              + " and modify index "
              + wire.getModifyIndex());
    }
    String session = wire.getSession();
    if (wire.getLockIndex() < 0
        || (!session.isEmpty()
            && !ControlFieldRules.isName(session, ControlFieldRules.MAX_NAME_BYTES, false))) {
      throw new ControlDecodeException(
          "KV key "
              + ControlFieldRules.shown(key)
              + " with lock index "
              + wire.getLockIndex()
              + " held by "
              + ControlFieldRules.shown(session));
    }
    return new KvEntry(
        key,
        wire.getValue().toByteArray(),
        wire.getFlags(),
        wire.getCreateIndex(),
        wire.getModifyIndex(),
        wire.getLockIndex(),
        session);
  }

  static Suspicion suspicion(WireSuspicion wire) throws ControlDecodeException {
    Suspicion suspicion =
        new Suspicion(
            wire.getSubject(),
            wire.getObserver(),
            wire.getIncarnation(),
            wire.getSinceMillis(),
            wire.getLocalHealth());
    check(ControlFieldRules.suspicionProblem(suspicion));
    return suspicion;
  }

  static RefusalCode refusalCode(int value) throws ControlDecodeException {
    WireRefusalCode code = WireRefusalCode.forNumber(value);
    if (code == null || code == WireRefusalCode.REFUSAL_CODE_UNSPECIFIED) {
      throw new ControlDecodeException("refusal code " + value + " unknown");
    }
    return RefusalCode.valueOf(code.name());
  }

  static String message(String message) throws ControlDecodeException {
    if (message.length() > MAX_MESSAGE_CHARS) {
      throw new ControlDecodeException("refusal message of " + message.length() + " chars");
    }
    return message;
  }

  /** Throws for a field rule's problem. */
  static void check(String problem) throws ControlDecodeException {
    if (problem != null) {
      throw new ControlDecodeException(problem);
    }
  }
}
