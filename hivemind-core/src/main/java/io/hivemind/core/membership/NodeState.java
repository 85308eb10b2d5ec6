package io.hivemind.core.membership;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.core.wire.proto.MemberInfo;
import java.util.Map;
import java.util.Set;

/**
 * One row of the member table: the mutable record a node keeps about one member (itself included).
 *
 * <p>Kept small on purpose: a simulation of N nodes holds N² of these. Snapshots for readers and
 * the wire form are built on demand rather than cached, and names and hosts are interned so that
 * the many records of one member share their strings.
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

  NodeState(String name, Address address, long incarnation, MemberState state, long now) {
    this.name = name.intern();
    this.address = internHost(address);
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
    this.zone = zone.intern();
  }

  void setAddress(Address address) {
    this.address = internHost(address);
  }

  private static Address internHost(Address address) {
    return new Address(address.host().intern(), address.port());
  }

  boolean isActive() {
    return state.isActive();
  }

  Member snapshot(Environment environment, String cluster) {
    return new Member(name, address, incarnation, state, roles, tags, zone, environment, cluster);
  }

  MemberInfo info() {
    return MemberInfo.newBuilder()
        .setName(name)
        .setAddress(WireCodec.endpoint(address))
        .setIncarnation(incarnation)
        .setState(WireCodec.toWire(state))
        .addAllRoles(roles)
        .putAllTags(tags)
        .setZone(zone)
        .build();
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
