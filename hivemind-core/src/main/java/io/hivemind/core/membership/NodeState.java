package io.hivemind.core.membership;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One row of the member table: the mutable record a node keeps about one member (itself included).
 *
 * <p>Kept small on purpose: a simulation of N nodes holds N² of these (10⁸ at 10,000 nodes), so
 * every field costs 400 MB there. Snapshots for readers and the wire form are built on demand
 * rather than cached; the address is kept as its two parts rather than as an {@link Address}
 * object; roles, tags and zone sit in one immutable {@link Meta}, shared while unchanged; names and
 * hosts are interned so that the many records of one member share their strings. Rarely used
 * per-member state (when an undead member was last told it is dead) lives in maps beside the table
 * instead.
 *
 * <p>Owned by the node's thread.
 */
final class NodeState {

  /**
   * A member's roles, tags and zone, replaced as a whole when any of them changes.
   *
   * @param roles sorted, without duplicates: a set, kept as the list the wire carries
   * @param tags sorted by key
   */
  record Meta(List<String> roles, Map<String, String> tags, String zone) {

    static final Meta EMPTY = new Meta(List.of(), Map.of(), "");

    static Meta of(Collection<String> roles, Map<String, String> tags, String zone) {
      if (roles.isEmpty() && tags.isEmpty() && zone.isEmpty()) {
        return EMPTY;
      }
      // Sorted once here, so that this record encodes the same way in every process (Set.copyOf
      // and Map.copyOf orders are salted per JVM, and equal records must read equal), and the
      // encoder, given them in order already, copies nothing on each encoding.
      return new Meta(
          sortedRoles(roles),
          Collections.unmodifiableSortedMap(new TreeMap<>(tags)),
          zone.intern());
    }

    /** Whether these are {@code roles} (as a set, in any order), {@code tags} and {@code zone}. */
    boolean describes(Collection<String> roles, Map<String, String> tags, String zone) {
      return this.zone.equals(zone) && this.tags.equals(tags) && sameRoles(roles);
    }

    private boolean sameRoles(Collection<String> other) {
      // Our own sorted list echoed back by gossip is the common case: equal without sorting.
      return roles.equals(other) || roles.equals(sortedRoles(other));
    }

    private static List<String> sortedRoles(Collection<String> roles) {
      return List.copyOf(new TreeSet<>(roles));
    }
  }

  final String name;
  private String host;

  /**
   * The port in the low 16 bits and {@link #CONFIRMED} above them: one int rather than an int and a
   * boolean, which would grow every record by 8 bytes (see the class note on size).
   */
  private int port;

  long incarnation;
  MemberState state;
  Meta meta = Meta.EMPTY;
  long stateChangeMillis;
  Suspicion suspicion;
  TimerQueue.Timer reapTimer;

  private static final int PORT_MASK = 0xFFFF;
  private static final int CONFIRMED = 1 << 16;

  NodeState(String name, Address address, long incarnation, MemberState state, long now) {
    this.name = name.intern();
    setAddress(address);
    this.incarnation = incarnation;
    this.state = state;
    this.stateChangeMillis = now;
  }

  void setMeta(Collection<String> roles, Map<String, String> tags, String zone) {
    if (!meta.describes(roles, tags, zone)) {
      meta = Meta.of(roles, tags, zone);
    }
  }

  /** The member's address, built on demand (see the class note on size). */
  Address address() {
    return new Address(host, port & PORT_MASK);
  }

  boolean hasAddress(Address address) {
    return (port & PORT_MASK) == address.port() && host.equals(address.host());
  }

  /**
   * Whether {@code member} says what this record holds: address, roles as a set, tags as a map and
   * zone, whatever order another process listed them in.
   */
  boolean describedBy(GossipMember member) {
    return hasAddress(member.address())
        && meta.describes(member.roles(), member.tags(), member.zone());
  }

  void setAddress(Address address) {
    if (!hasAddressFields() || !hasAddress(address)) {
      this.host = address.host().intern();
      this.port = (port & CONFIRMED) | address.port();
    }
  }

  /**
   * Whether this member has answered one of our probes or sent us a packet from its address: it
   * exists there. A member only gossip told us about may be made up (500 forged Alives once hid a
   * crashed node for minutes); {@link MemberTable} probes the two kinds in turn.
   */
  boolean confirmed() {
    return (port & CONFIRMED) != 0;
  }

  void setConfirmed() {
    port |= CONFIRMED;
  }

  private boolean hasAddressFields() {
    return host != null;
  }

  boolean isActive() {
    return state.isActive();
  }

  Member snapshot(Environment environment, String cluster) {
    return new Member(
        name,
        address(),
        incarnation,
        state,
        Set.copyOf(meta.roles()),
        meta.tags(),
        meta.zone(),
        environment,
        cluster);
  }

  /** This record as gossip carries it (built on demand, see the class note on size). */
  GossipMember gossip() {
    return new GossipMember(
        name, address(), incarnation, state, meta.roles(), meta.tags(), meta.zone());
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
