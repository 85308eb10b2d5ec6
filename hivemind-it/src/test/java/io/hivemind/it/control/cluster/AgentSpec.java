package io.hivemind.it.control.cluster;

import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.ControlSettings;
import io.hivemind.testkit.FreePorts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one agent of a test cluster is: its name, roles, and the control plane's settings that the
 * tests vary (group size, join token, required roles). Every port is a fresh loopback one.
 *
 * @param name the node's name
 * @param roles the roles it performs
 * @param bootstrapExpect the group size it forms, or null for a node that forms none
 * @param joinToken the join token it knows, or null
 * @param requireRoles roles that must be admitted before it is, or null
 */
record AgentSpec(
    String name,
    List<String> roles,
    Integer bootstrapExpect,
    String joinToken,
    List<String> requireRoles) {

  /** The role plain agents perform: it needs no port of its own and forms no group. */
  static final String PLAIN_ROLE = "host";

  /** A voter of a three-voter group. */
  static AgentSpec control(String name) {
    return new AgentSpec(name, List.of("control"), 3, null, null);
  }

  /** An agent that follows the committed log through a control node's gateway. */
  static AgentSpec plain(String name) {
    return new AgentSpec(name, List.of(PLAIN_ROLE), null, null, null);
  }

  AgentSpec withRoles(String... next) {
    return new AgentSpec(name, List.of(next), bootstrapExpect, joinToken, requireRoles);
  }

  AgentSpec withJoinToken(String token) {
    return new AgentSpec(name, roles, bootstrapExpect, token, requireRoles);
  }

  AgentSpec requiring(String... required) {
    return new AgentSpec(name, roles, bootstrapExpect, joinToken, List.of(required));
  }

  /**
   * The settings of this agent in {@code cluster}, joining through {@code seeds}, keeping its state
   * in {@code dataDir}; the testing environment (no gossip key) and the local timing profile.
   */
  AgentSettings settings(String cluster, Path dataDir, List<String> seeds) {
    return new AgentSettings(
        name,
        "testing",
        0,
        cluster,
        loopback(),
        null,
        loopback(),
        seeds,
        roles,
        Map.of(),
        "",
        "local",
        List.of(),
        null,
        null,
        new ControlSettings(
            dataDir.toString(),
            bootstrapExpect,
            joinToken,
            null,
            requireRoles,
            null,
            null,
            null,
            loopback(),
            loopback()));
  }

  private static String loopback() {
    return "127.0.0.1:" + FreePorts.tcpAndUdp();
  }
}
