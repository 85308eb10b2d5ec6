package io.hivemind.core.control;

import com.google.protobuf.ByteString;
import io.hivemind.core.wire.proto.WireAddress;
import io.hivemind.core.wire.proto.WireAdmitMember;
import io.hivemind.core.wire.proto.WireAppendEvent;
import io.hivemind.core.wire.proto.WireApplied;
import io.hivemind.core.wire.proto.WireBatch;
import io.hivemind.core.wire.proto.WireBatched;
import io.hivemind.core.wire.proto.WireBootstrap;
import io.hivemind.core.wire.proto.WireEntry;
import io.hivemind.core.wire.proto.WireEvent;
import io.hivemind.core.wire.proto.WireKvDelete;
import io.hivemind.core.wire.proto.WireKvEntry;
import io.hivemind.core.wire.proto.WireKvSet;
import io.hivemind.core.wire.proto.WireMember;
import io.hivemind.core.wire.proto.WireObservation;
import io.hivemind.core.wire.proto.WireObservationKind;
import io.hivemind.core.wire.proto.WireRefusalCode;
import io.hivemind.core.wire.proto.WireRefused;
import io.hivemind.core.wire.proto.WireRemovalReason;
import io.hivemind.core.wire.proto.WireRemoveMember;
import io.hivemind.core.wire.proto.WireRemovedId;
import io.hivemind.core.wire.proto.WireReportObservations;
import io.hivemind.core.wire.proto.WireResult;
import io.hivemind.core.wire.proto.WireSnapshot;
import io.hivemind.core.wire.proto.WireSuspicion;
import io.hivemind.core.wire.proto.WireTick;
import java.util.Map;

/**
 * Records to control.proto messages. Enums map by name (the wire enums use the records' constant
 * names), without a switch: javac compiles an enum switch into a synthetic class whose simple name
 * does not start with "Wire" (see WireDecoder in the membership package).
 *
 * <p>Stateless.
 */
final class WireControlEncoder {

  private WireControlEncoder() {}

  static WireEntry entry(ControlEntry entry) {
    WireEntry.Builder wire =
        WireEntry.newBuilder().setVersion(entry.version()).setTimeMillis(entry.timeMillis());
    ControlCommand command = entry.command();
    if (command instanceof ControlCommand.Bootstrap bootstrap) {
      wire.setBootstrap(
          WireBootstrap.newBuilder()
              .setCluster(bootstrap.cluster())
              .setEnvironment(bootstrap.environment()));
    } else if (command instanceof ControlCommand.AdmitMember admit) {
      wire.setAdmitMember(
          WireAdmitMember.newBuilder()
              .setCandidate(member(admit.candidate()))
              .addAllRequiredRoles(admit.requiredRoles())
              .setJoinProof(admit.joinProof()));
    } else if (command instanceof ControlCommand.RemoveMember remove) {
      wire.setRemoveMember(
          WireRemoveMember.newBuilder()
              .setMemberId(remove.memberId())
              .setReason(WireRemovalReason.valueOf(remove.reason().name()))
              .addAllObservers(remove.observers()));
    } else if (command instanceof ControlCommand.ReportObservations report) {
      WireReportObservations.Builder observations = WireReportObservations.newBuilder();
      report.observations().forEach(o -> observations.addObservations(observation(o)));
      wire.setReportObservations(observations);
    } else if (command instanceof ControlCommand.Tick) {
      wire.setTick(WireTick.getDefaultInstance());
    } else if (command instanceof ControlCommand.Batch batch) {
      WireBatch.Builder entries = WireBatch.newBuilder();
      for (ControlCommand inner : batch.commands()) {
        entries.addEntries(entry(new ControlEntry(0, 0, inner)));
      }
      wire.setBatch(entries);
    } else {
      otherCommand(wire, command);
    }
    return wire.build();
  }

  /** The commands that carry bytes. */
  private static void otherCommand(WireEntry.Builder wire, ControlCommand command) {
    if (command instanceof ControlCommand.AppendEvent event) {
      wire.setAppendEvent(
          WireAppendEvent.newBuilder()
              .setType(event.type())
              .setSource(event.source())
              .setPayload(ByteString.copyFrom(event.payload())));
    } else if (command instanceof ControlCommand.KvSet set) {
      wire.setKvSet(
          WireKvSet.newBuilder()
              .setKey(set.key())
              .setValue(ByteString.copyFrom(set.value()))
              .setFlags(set.flags())
              .setCasIndex(set.casIndex()));
    } else if (command instanceof ControlCommand.KvDelete delete) {
      wire.setKvDelete(
          WireKvDelete.newBuilder()
              .setKey(delete.key())
              .setRecurse(delete.recurse())
              .setCasIndex(delete.casIndex()));
    } else if (command instanceof ControlCommand.AclTokenUpsert upsert) {
      wire.setAclTokenUpsert(WireAclCodec.upsert(upsert));
    } else if (command instanceof ControlCommand.AclTokenDelete delete) {
      wire.setAclTokenDelete(WireAclCodec.delete(delete));
    } else if (command instanceof ControlCommand.CatalogRegister register) {
      wire.setCatalogRegister(WireExternalCodec.register(register));
    } else if (command instanceof ControlCommand.CatalogDeregister deregister) {
      wire.setCatalogDeregister(WireExternalCodec.deregister(deregister));
    } else if (command instanceof ControlCommand.CommitPartitionTable commit) {
      wire.setCommitPartitionTable(WirePartitionCodec.commit(commit));
    } else if (command instanceof ControlCommand.CompleteMoves complete) {
      wire.setCompleteMoves(WirePartitionCodec.complete(complete));
    } else if (command instanceof ControlCommand.DrainMember drain) {
      wire.setDrainMember(WirePartitionCodec.drain(drain));
    } else if (command instanceof ControlCommand.SessionCreate create) {
      wire.setSessionCreate(WireSessionCodec.create(create));
    } else if (command instanceof ControlCommand.SessionRenew renew) {
      wire.setSessionRenew(WireSessionCodec.renew(renew));
    } else if (command instanceof ControlCommand.SessionDestroy destroy) {
      wire.setSessionDestroy(WireSessionCodec.destroy(destroy));
    } else if (command instanceof ControlCommand.KvLock lock) {
      wire.setKvLock(WireSessionCodec.lock(lock));
    } else if (command instanceof ControlCommand.KvTxn txn) {
      wire.setKvTxn(WireTxnCodec.txn(txn));
    } else {
      throw new IllegalArgumentException("no encoding for command " + command);
    }
  }

  static WireMember member(ControlMember member) {
    return WireMember.newBuilder()
        .setId(member.id())
        .setName(member.name())
        .setAddress(
            WireAddress.newBuilder()
                .setHost(member.address().host())
                .setPort(member.address().port()))
        .addAllRoles(member.roles())
        .setZone(member.zone())
        .setHost(member.host())
        .setAdmittedEpoch(member.admittedEpoch())
        .setAdmittedIndex(member.admittedIndex())
        .build();
  }

  private static WireObservation observation(Observation observation) {
    return WireObservation.newBuilder()
        .setObserver(observation.observer())
        .setSubject(observation.subject())
        .setSubjectName(observation.subjectName())
        .setIncarnation(observation.incarnation())
        .setKind(WireObservationKind.valueOf(observation.kind().name()))
        .setLocalHealth(observation.localHealth())
        .setObservedAtMillis(observation.observedAtMillis())
        .build();
  }

  static WireResult result(ApplyResult result) {
    WireResult.Builder wire = WireResult.newBuilder().setIndex(result.index());
    if (result instanceof ApplyResult.Applied applied) {
      WireApplied.Builder body = WireApplied.newBuilder().setEpoch(applied.epoch());
      applied.events().forEach(e -> body.addEvents(event(e)));
      applied.kv().forEach(e -> body.addKv(kvEntry(e)));
      wire.setApplied(body);
    } else if (result instanceof ApplyResult.Refused refused) {
      WireRefused.Builder body =
          WireRefused.newBuilder()
              .setCode(WireRefusalCode.valueOf(refused.code().name()))
              .setMessage(refused.message());
      if (refused.operation() >= 0) {
        body.setOperation(refused.operation());
      }
      wire.setRefused(body);
    } else if (result instanceof ApplyResult.Batched batched) {
      WireBatched.Builder results = WireBatched.newBuilder();
      batched.results().forEach(r -> results.addResults(result(r)));
      wire.setBatched(results);
    }
    return wire.build();
  }

  static WireEvent event(ControlEvent event) {
    return WireEvent.newBuilder()
        .setIndex(event.index())
        .setEpoch(event.epoch())
        .setTimeMillis(event.timeMillis())
        .setType(event.type())
        .setSubject(event.subject())
        .setPayload(ByteString.copyFrom(event.payload()))
        .build();
  }

  static WireSnapshot snapshot(ControlSnapshot snapshot, int version) {
    ControlView view = snapshot.view();
    WireSnapshot.Builder wire =
        WireSnapshot.newBuilder()
            .setVersion(version)
            .setIndex(view.index())
            .setEpoch(view.epoch())
            .setCluster(view.cluster())
            .setEnvironment(view.environment())
            .setFirstRetainedEventIndex(view.firstRetainedEventIndex());
    view.members().forEach(m -> wire.addMembers(member(m)));
    for (Map.Entry<String, KvEntry> kv : view.kv().entrySet()) {
      wire.addKv(kvEntry(kv.getValue()));
    }
    view.events().forEach(e -> wire.addEvents(event(e)));
    snapshot.suspicions().forEach(s -> wire.addSuspicions(suspicion(s)));
    for (RemovedId removed : snapshot.removedIds()) {
      wire.addRemovedIds(
          WireRemovedId.newBuilder().setId(removed.id()).setRemovedIndex(removed.removedIndex()));
    }
    view.acl().all().forEach(t -> wire.addAclTokens(WireAclCodec.token(t)));
    WireExternalCodec.snapshot(view.external(), wire);
    view.partitionTable()
        .ifPresent(table -> wire.setPartitionTable(WirePartitionCodec.committed(table)));
    WireSessionCodec.snapshot(view.sessions(), wire);
    return wire.build();
  }

  private static WireKvEntry kvEntry(KvEntry entry) {
    return WireKvEntry.newBuilder()
        .setKey(entry.key())
        .setValue(ByteString.copyFrom(entry.value()))
        .setFlags(entry.flags())
        .setCreateIndex(entry.createIndex())
        .setModifyIndex(entry.modifyIndex())
        .setLockIndex(entry.lockIndex())
        .setSession(entry.session())
        .build();
  }

  private static WireSuspicion suspicion(Suspicion suspicion) {
    return WireSuspicion.newBuilder()
        .setSubject(suspicion.subject())
        .setObserver(suspicion.observer())
        .setIncarnation(suspicion.incarnation())
        .setSinceMillis(suspicion.sinceMillis())
        .setLocalHealth(suspicion.localHealth())
        .build();
  }
}
