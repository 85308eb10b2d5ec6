package io.hivemind.core.control;

import io.hivemind.core.membership.Address;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A member the control plane admitted: the registry's entry. Only committed admissions create one,
 * so a node that was never admitted is never listed.
 *
 * @param id unique per life of a node: a node that is removed and comes back rejoins with a new id
 * @param name the member's name, unique among admitted members
 * @param address where its gossip listens
 * @param roles the roles it performs, sorted
 * @param zone its failure zone, "" when none
 * @param host the physical host it runs on (for anti-affinity), "" when unknown
 * @param admittedEpoch the cluster epoch its admission created
 * @param admittedIndex the log index of its admission
 */
public record ControlMember(
    String id,
    String name,
    Address address,
    List<String> roles,
    String zone,
    String host,
    long admittedEpoch,
    long admittedIndex) {

  /** The role of the nodes that may serve the control plane: its voters and gateways. */
  public static final String CONTROL_ROLE = "control";

  public ControlMember {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    roles = List.copyOf(new TreeSet<>(roles)); // sorted and distinct: one form on every replica
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(host, "host");
  }

  /** This member as admitted at {@code epoch} by the entry at {@code index}. */
  public ControlMember admitted(long epoch, long index) {
    return new ControlMember(id, name, address, roles, zone, host, epoch, index);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
