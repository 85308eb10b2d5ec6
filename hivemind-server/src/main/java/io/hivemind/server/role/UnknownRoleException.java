package io.hivemind.server.role;

import java.util.List;

/** A role name no provider on the class path answers to; the message lists the known ones. */
public final class UnknownRoleException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String role;
  private final List<String> known;

  UnknownRoleException(String role, List<String> known) {
    super("'" + role + "' is not a role: use " + RoleRegistry.orList(known));
    this.role = role;
    this.known = List.copyOf(known);
  }

  /** The name asked for. */
  public String role() {
    return role;
  }

  /** The names the registry knows, sorted. */
  public List<String> known() {
    return known;
  }
}
