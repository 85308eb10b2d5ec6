package io.hivemind.server.control;

import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.membership.Address;
import java.util.List;
import java.util.Objects;

/**
 * Builds this node's admission request: who it is, the roles it requires, and the proof that it
 * knows the join token.
 *
 * @param name the node's name
 * @param roles the roles it performs
 * @param zone its zone, "" when none
 * @param host the physical host it runs on
 * @param requiredRoles roles that must be in the cluster before it operates
 * @param joinToken the cluster's join token, or null when none is configured
 */
public record AdmissionRequests(
    String name,
    List<String> roles,
    String zone,
    String host,
    List<String> requiredRoles,
    JoinProofs.Token joinToken) {

  public AdmissionRequests {
    Objects.requireNonNull(name, "name");
    roles = roles.stream().sorted().toList();
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(host, "host");
    requiredRoles = List.copyOf(requiredRoles);
  }

  /** The admission command for the node with {@code id} gossiping at {@code address}. */
  public ControlCommand.AdmitMember admit(String id, Address address) {
    ControlMember candidate = new ControlMember(id, name, address, roles, zone, host, 0, 0);
    String proof = joinToken == null ? "" : JoinProofs.proof(joinToken, id);
    return new ControlCommand.AdmitMember(candidate, requiredRoles, proof);
  }
}
