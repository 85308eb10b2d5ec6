package io.hivemind.it.roles;

import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.role.Role;
import io.hivemind.server.role.RoleContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A role for AgentRolesIT, plugged in through this module's {@code META-INF/services}: it records
 * its starts and stops, per node, and what it saw of its context; {@code it-failing} fails its
 * start.
 */
final class RecordingRole implements Role {

  private static final List<String> EVENTS = new ArrayList<>();

  private final String name;
  private String node;

  RecordingRole(String name) {
    this.name = name;
  }

  /** What the roles of {@code node} did, in order. */
  static List<String> events(String node) {
    synchronized (EVENTS) {
      return EVENTS.stream().filter(e -> e.startsWith(node + " ")).toList();
    }
  }

  private static void record(String event) {
    synchronized (EVENTS) {
      EVENTS.add(event);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start(RoleContext context) throws IOException {
    node = context.nodeName();
    boolean running = context.membership().state() == MembershipService.State.RUNNING;
    record(node + " start " + name + " running=" + running + " dataDir=" + context.dataDir());
    if (name.equals(FailingRoleProvider.NAME)) {
      throw new IOException("role " + name + " cannot start: its port is taken");
    }
  }

  @Override
  public void stop() {
    record(node + " stop " + name);
  }
}
