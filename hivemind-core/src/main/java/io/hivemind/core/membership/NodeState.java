package io.hivemind.core.membership;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.core.wire.proto.MemberInfo;
import java.util.Map;
import java.util.Set;

/**
 * One row of the member table: the mutable record a node keeps about one member (itself included).
 * Snapshots for readers ({@link #snapshot}) and the wire form ({@link #info}) are cached and
 * rebuilt only after a change.
 *
 * <p>Owned by the node's thread.
 */
final class NodeState {

  final String name;
  Address address;
  long incarnation;
  MemberState state;
  Set<String> roles;
  Map<String, String> tags;
  String zone;
  long stateChangeMillis;
  Suspicion suspicion;
  long lastToldDeadMillis = Long.MIN_VALUE;
  TimerQueue.Timer reapTimer;

  private Member snapshot;
  private MemberInfo info;

  NodeState(String name, Address address, long incarnation, MemberState state, long now) {
    this.name = name;
    this.address = address;
    this.incarnation = incarnation;
    this.state = state;
    this.roles = Set.of();
    this.tags = Map.of();
    this.zone = "";
    this.stateChangeMillis = now;
  }

  void setMeta(Set<String> roles, Map<String, String> tags, String zone) {
    this.roles = Set.copyOf(roles);
    this.tags = Map.copyOf(tags);
    this.zone = zone;
    changed();
  }

  /** Drops the cached snapshot and wire form; call after any field changes. */
  void changed() {
    snapshot = null;
    info = null;
  }

  boolean isActive() {
    return state.isActive();
  }

  Member snapshot(Environment environment, String cluster) {
    if (snapshot == null) {
      snapshot =
          new Member(name, address, incarnation, state, roles, tags, zone, environment, cluster);
    }
    return snapshot;
  }

  MemberInfo info() {
    if (info == null) {
      info =
          MemberInfo.newBuilder()
              .setName(name)
              .setAddress(WireCodec.endpoint(address))
              .setIncarnation(incarnation)
              .setState(WireCodec.toWire(state))
              .addAllRoles(roles)
              .putAllTags(tags)
              .setZone(zone)
              .build();
    }
    return info;
  }

  void cancelSuspicion() {
    if (suspicion != null) {
      suspicion.cancel();
      suspicion = null;
    }
  }

  void cancelReap() {
    if (reapTimer != null) {
      reapTimer.cancel();
      reapTimer = null;
    }
  }
}
