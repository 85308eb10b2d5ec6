package io.hivemind.core.control;

import io.hivemind.core.wire.proto.WireEvent;
import io.hivemind.core.wire.proto.WireKvEntry;
import io.hivemind.core.wire.proto.WireMember;
import io.hivemind.core.wire.proto.WireRemovedId;
import io.hivemind.core.wire.proto.WireSnapshot;
import io.hivemind.core.wire.proto.WireSuspicion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A snapshot message to a {@link ControlSnapshot}, checked to describe a state {@link ControlState}
 * could have reached: every field rule, unique member ids and names, KV keys strictly in order, no
 * index above the snapshot's. A replica restored from a snapshot that passes behaves as one that
 * applied the log.
 *
 * <p>Stateless.
 */
final class WireControlSnapshotDecoder {

  private WireControlSnapshotDecoder() {}

  static ControlSnapshot snapshot(WireSnapshot wire) throws ControlDecodeException {
    long version = Integer.toUnsignedLong(wire.getVersion());
    if (version == 0 || version > WireControlCodec.SNAPSHOT_VERSION) {
      throw new ControlDecodeException(
          "snapshot version "
              + version
              + " is not 1.."
              + WireControlCodec.SNAPSHOT_VERSION
              + ": written by a newer agent, or not a snapshot");
    }
    long index = wire.getIndex();
    long epoch = wire.getEpoch();
    long firstRetained = wire.getFirstRetainedEventIndex();
    if (index < 0 || epoch < 0 || firstRetained < 0 || firstRetained > index + 1) {
      throw new ControlDecodeException(
          "snapshot index " + index + ", epoch " + epoch + ", first event " + firstRetained);
    }
    checkBootstrap(wire);
    NavigableMap<String, KvEntry> kv = kv(wire.getKvList(), index);
    ControlView view =
        new ControlView(
            index,
            epoch,
            wire.getCluster(),
            wire.getEnvironment(),
            members(wire.getMembersList(), index, epoch),
            kv,
            events(wire.getEventsList(), index, epoch, firstRetained),
            firstRetained,
            WireExternalCodec.catalog(wire, index),
            WireAclCodec.tokens(wire.getAclTokensList(), index),
            WirePartitionCodec.committed(wire.hasPartitionTable(), wire.getPartitionTable(), index),
            sessions(wire, index, kv));
    return new ControlSnapshot(
        view, suspicions(wire.getSuspicionsList()), removedIds(wire.getRemovedIdsList(), index));
  }

  /** Before the bootstrap entry a state is empty; after it, it names a cluster. */
  private static void checkBootstrap(WireSnapshot wire) throws ControlDecodeException {
    if (wire.getCluster().isEmpty() && wire.getEnvironment().isEmpty()) {
      if (wire.getEpoch() != 0
          || wire.getMembersCount() > 0
          || wire.getKvCount() > 0
          || wire.getEventsCount() > 0
          || wire.getExternalNodesCount() > 0
          || wire.getAclTokensCount() > 0
          || wire.hasPartitionTable()
          || wire.getSessionsCount() > 0) {
        throw new ControlDecodeException("snapshot without a cluster name holds state");
      }
      return;
    }
    WireControlDecoder.check(
        ControlFieldRules.commandProblem(
            new ControlCommand.Bootstrap(wire.getCluster(), wire.getEnvironment())));
  }

  private static List<ControlMember> members(List<WireMember> wire, long index, long epoch)
      throws ControlDecodeException {
    List<ControlMember> members = new ArrayList<>(wire.size());
    Set<String> ids = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (WireMember record : wire) {
      ControlMember member = WireControlDecoder.member(record);
      if (!ids.add(member.id()) || !names.add(member.name())) {
        throw new ControlDecodeException(
            "snapshot holds member " + member.name() + " (id " + member.id() + ") twice");
      }
      if (member.admittedIndex() > index || member.admittedEpoch() > epoch) {
        throw new ControlDecodeException(
            "member " + member.name() + " admitted after the snapshot's index or epoch");
      }
      members.add(member);
    }
    members.sort(Comparator.comparing(ControlMember::name));
    return members;
  }

  /** The sessions, checked against the keys: a key's holder must be one of them. */
  private static SessionTable sessions(
      WireSnapshot wire, long index, NavigableMap<String, KvEntry> kv)
      throws ControlDecodeException {
    SessionTable table = WireSessionCodec.table(wire, index);
    for (KvEntry entry : kv.values()) {
      if (entry.locked() && table.get(entry.session()) == null) {
        throw new ControlDecodeException(
            "KV key "
                + ControlFieldRules.shown(entry.key())
                + " held by session "
                + entry.session()
                + ", which the snapshot lacks");
      }
    }
    return table;
  }

  private static NavigableMap<String, KvEntry> kv(List<WireKvEntry> wire, long index)
      throws ControlDecodeException {
    TreeMap<String, KvEntry> kv = new TreeMap<>();
    String previous = null;
    for (WireKvEntry record : wire) {
      KvEntry entry = WireControlDecoder.kvEntry(record);
      if (previous != null && previous.compareTo(entry.key()) >= 0) {
        throw new ControlDecodeException(
            "snapshot KV key " + ControlFieldRules.shown(entry.key()) + " out of order");
      }
      if (entry.modifyIndex() > index) {
        throw new ControlDecodeException(
            "KV key " + ControlFieldRules.shown(entry.key()) + " modified after the snapshot");
      }
      kv.put(entry.key(), entry);
      previous = entry.key();
    }
    return Collections.unmodifiableNavigableMap(kv);
  }

  private static List<ControlEvent> events(
      List<WireEvent> wire, long index, long epoch, long firstRetained)
      throws ControlDecodeException {
    List<ControlEvent> events = new ArrayList<>(wire.size());
    long previous = firstRetained;
    for (WireEvent record : wire) {
      ControlEvent event = WireControlDecoder.event(record);
      if (event.index() < previous || event.index() > index || event.epoch() > epoch) {
        throw new ControlDecodeException(
            "snapshot event at index "
                + event.index()
                + " out of order (after "
                + previous
                + ", snapshot at "
                + index
                + ")");
      }
      events.add(event);
      previous = event.index();
    }
    return events;
  }

  private static List<Suspicion> suspicions(List<WireSuspicion> wire)
      throws ControlDecodeException {
    List<Suspicion> suspicions = new ArrayList<>(wire.size());
    for (WireSuspicion record : wire) {
      suspicions.add(WireControlDecoder.suspicion(record));
    }
    return suspicions;
  }

  private static List<RemovedId> removedIds(List<WireRemovedId> wire, long index)
      throws ControlDecodeException {
    if (wire.size() > ControlState.MAX_REMOVED_IDS) {
      throw new ControlDecodeException(wire.size() + " removed ids in a snapshot");
    }
    List<RemovedId> removed = new ArrayList<>(wire.size());
    Set<String> ids = new HashSet<>();
    long previous = 0;
    for (WireRemovedId record : wire) {
      String id = record.getId();
      if (!ControlFieldRules.isName(id, ControlFieldRules.MAX_NAME_BYTES, false)
          || !ids.add(id)
          || record.getRemovedIndex() < previous
          || record.getRemovedIndex() > index) {
        throw new ControlDecodeException(
            "removed id " + ControlFieldRules.shown(id) + " at " + record.getRemovedIndex());
      }
      removed.add(new RemovedId(id, record.getRemovedIndex()));
      previous = record.getRemovedIndex();
    }
    return Collections.unmodifiableList(removed);
  }
}
