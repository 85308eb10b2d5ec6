package io.hivemind.core.control;

import com.google.protobuf.ByteString;
import io.hivemind.core.wire.proto.WireKvLock;
import io.hivemind.core.wire.proto.WireLockDelay;
import io.hivemind.core.wire.proto.WireSession;
import io.hivemind.core.wire.proto.WireSessionBehavior;
import io.hivemind.core.wire.proto.WireSessionCreate;
import io.hivemind.core.wire.proto.WireSessionDestroy;
import io.hivemind.core.wire.proto.WireSessionRenew;
import io.hivemind.core.wire.proto.WireSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sessions part of control.proto (numbers 50-59): session commands, the KV lock command, and
 * the sessions and lock delays of a snapshot. A decoded session has passed the field rules of the
 * command that could have created it; a behaviour this version does not know is refused.
 *
 * <p>Stateless.
 */
final class WireSessionCodec {

  private WireSessionCodec() {}

  static WireSessionCreate create(ControlCommand.SessionCreate create) {
    return WireSessionCreate.newBuilder()
        .setId(create.id())
        .setName(create.name())
        .setNode(create.node())
        .setBehavior(WireSessionBehavior.valueOf(create.behavior().name()))
        .setTtlMillis(create.ttlMillis())
        .setLockDelayMillis(create.lockDelayMillis())
        .build();
  }

  static ControlCommand create(WireSessionCreate wire) throws ControlDecodeException {
    return new ControlCommand.SessionCreate(
        wire.getId(),
        wire.getName(),
        wire.getNode(),
        behavior(wire.getBehaviorValue()),
        wire.getTtlMillis(),
        wire.getLockDelayMillis());
  }

  static WireSessionRenew renew(ControlCommand.SessionRenew renew) {
    return WireSessionRenew.newBuilder().setId(renew.id()).setNode(renew.node()).build();
  }

  static ControlCommand renew(WireSessionRenew wire) {
    return new ControlCommand.SessionRenew(wire.getId(), wire.getNode());
  }

  static WireSessionDestroy destroy(ControlCommand.SessionDestroy destroy) {
    return WireSessionDestroy.newBuilder().setId(destroy.id()).setNode(destroy.node()).build();
  }

  static ControlCommand destroy(WireSessionDestroy wire) {
    return new ControlCommand.SessionDestroy(wire.getId(), wire.getNode());
  }

  static WireKvLock lock(ControlCommand.KvLock lock) {
    return WireKvLock.newBuilder()
        .setKey(lock.key())
        .setValue(ByteString.copyFrom(lock.value()))
        .setFlags(lock.flags())
        .setSession(lock.session())
        .setAcquire(lock.acquire())
        .build();
  }

  static ControlCommand lock(WireKvLock wire) {
    return new ControlCommand.KvLock(
        wire.getKey(),
        wire.getValue().toByteArray(),
        wire.getFlags(),
        wire.getSession(),
        wire.getAcquire());
  }

  /** Writes the table's sessions, lock delays and clock into a snapshot. */
  static void snapshot(SessionTable table, WireSnapshot.Builder wire) {
    for (Session session : table.sessions().values()) {
      wire.addSessions(
          WireSession.newBuilder()
              .setId(session.id())
              .setName(session.name())
              .setNode(session.node())
              .setBehavior(WireSessionBehavior.valueOf(session.behavior().name()))
              .setTtlMillis(session.ttlMillis())
              .setLockDelayMillis(session.lockDelayMillis())
              .setCreateIndex(session.createIndex())
              .setRenewedAtMillis(session.renewedAtMillis()));
    }
    for (Map.Entry<String, Long> delay : table.lockDelays().entrySet()) {
      wire.addLockDelays(
          WireLockDelay.newBuilder().setKey(delay.getKey()).setUntilMillis(delay.getValue()));
    }
    wire.setSessionClockMillis(table.clockMillis());
  }

  /**
   * A snapshot's session table, checked: every session passes the rules of its creation, ids are
   * unique and created at or below the snapshot's index, there are at most {@link
   * ControlState#MAX_SESSIONS}, and every lock delay names a valid key once.
   */
  static SessionTable table(WireSnapshot wire, long index) throws ControlDecodeException {
    if (wire.getSessionsCount() > ControlState.MAX_SESSIONS) {
      throw new ControlDecodeException(wire.getSessionsCount() + " sessions in a snapshot");
    }
    List<Session> sessions = new ArrayList<>(wire.getSessionsCount());
    Set<String> ids = new HashSet<>();
    for (WireSession record : wire.getSessionsList()) {
      SessionBehavior behavior = behavior(record.getBehaviorValue());
      WireControlDecoder.check(
          ControlFieldRules.commandProblem(
              new ControlCommand.SessionCreate(
                  record.getId(),
                  record.getName(),
                  record.getNode(),
                  behavior,
                  record.getTtlMillis(),
                  record.getLockDelayMillis())));
      if (!ids.add(record.getId())
          || record.getCreateIndex() <= 0
          || record.getCreateIndex() > index) {
        throw new ControlDecodeException(
            "session " + record.getId() + " twice, or created at " + record.getCreateIndex());
      }
      sessions.add(
          new Session(
              record.getId(),
              record.getName(),
              record.getNode(),
              behavior,
              record.getTtlMillis(),
              record.getLockDelayMillis(),
              record.getCreateIndex(),
              record.getRenewedAtMillis()));
    }
    Map<String, Long> delays = new TreeMap<>();
    for (WireLockDelay delay : wire.getLockDelaysList()) {
      String key = delay.getKey();
      if (key.isEmpty()
          || !ControlFieldRules.utf8Within(key, ControlFieldRules.MAX_KV_KEY_BYTES)
          || ControlFieldRules.hasControl(key)
          || delays.put(key, delay.getUntilMillis()) != null) {
        throw new ControlDecodeException("lock delay on KV key " + ControlFieldRules.shown(key));
      }
    }
    return SessionTable.of(sessions, delays, wire.getSessionClockMillis());
  }

  private static SessionBehavior behavior(int value) throws ControlDecodeException {
    WireSessionBehavior behavior = WireSessionBehavior.forNumber(value);
    if (behavior == null || behavior == WireSessionBehavior.SESSION_BEHAVIOR_UNSPECIFIED) {
      throw new ControlDecodeException("session behavior " + value + " unknown");
    }
    return SessionBehavior.valueOf(behavior.name());
  }
}
