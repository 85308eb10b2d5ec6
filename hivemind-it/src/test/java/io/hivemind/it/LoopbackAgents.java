package io.hivemind.it;

import io.hivemind.core.control.ControlView;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.ControlSettings;
import io.hivemind.server.control.ControlStatus;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Agents in this JVM, each on a loopback address of its own (127.0.0.x), so that each is a host of
 * its own and the partition table can keep a partition's replicas apart. The fixture the
 * partitioned-state and partition-table ITs share.
 */
public final class LoopbackAgents {

  private LoopbackAgents() {}

  /**
   * Starts agent {@code name} in the testing environment, with its data under {@code root}.
   *
   * @param profile membership timing: local or lan
   * @param expect the control nodes that form the group (with the control role), or null
   * @param seeds gossip addresses to join through, empty for the first agent
   */
  // Justification: a fixture's knobs, each used by some IT.
  public static Agent start(
      Path root,
      String cluster,
      String profile,
      String name,
      String host,
      List<String> roles,
      Integer expect,
      List<String> seeds) {
    return start(
        settings(root, "testing", cluster, profile, name, host, roles, expect, seeds), name, root);
  }

  /** Starts an agent of {@code settings} (those of {@link #devVoter}, changed by a test). */
  public static Agent start(AgentSettings settings, String name, Path root) {
    try {
      return Agent.start(AgentConfig.resolve(settings, name, root), "it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A development agent that is its cluster's only voter, as {@code hivemind dev} runs (a group of
   * one is refused in the other environments), on {@code host}: for a test that changes some of its
   * settings before {@link #start(AgentSettings, String, Path)}.
   */
  public static AgentSettings devVoter(Path root, String cluster, String name, String host) {
    return settings(
        root, "development", cluster, "local", name, host, List.of("control"), 1, List.of());
  }

  // Justification: a fixture's knobs, each used by some IT.
  private static AgentSettings settings(
      Path root,
      String environment,
      String cluster,
      String profile,
      String name,
      String host,
      List<String> roles,
      Integer expect,
      List<String> seeds) {
    return new AgentSettings(
        name,
        environment,
        0,
        cluster,
        at(host),
        null,
        at(host),
        seeds,
        roles,
        Map.of(),
        "",
        profile,
        List.of(),
        null,
        null,
        new ControlSettings(
            root.resolve(name).toString(),
            expect,
            null,
            null,
            null,
            null,
            null,
            null,
            at(host),
            at(host)));
  }

  /**
   * One line per agent of what its control plane shows: leader, indexes, admitted members and the
   * partition table. Logged while a test waits and attached to its failure, so a timeout in CI says
   * which layer stood still.
   */
  public static String describe(Map<String, Agent> agents) {
    StringBuilder out = new StringBuilder();
    agents.forEach(
        (name, agent) -> {
          ControlStatus status = agent.control().status();
          ControlView view = agent.control().view();
          out.append(System.lineSeparator())
              .append(name)
              .append(" admission=")
              .append(
                  agent
                      .admission()
                      .map(a -> a.admission() + "/" + a.memberId() + " (" + a.detail() + ")")
                      .orElse("-"))
              .append(" degraded=")
              .append(status.degraded())
              .append(" leader=")
              .append(status.leaderAddress())
              .append(" term=")
              .append(status.term())
              .append(" commit=")
              .append(status.commitIndex())
              .append(" applied=")
              .append(status.appliedIndex())
              .append(" peers=")
              .append(status.peers().size())
              .append(" view=")
              .append(view.index())
              .append(" epoch=")
              .append(view.epoch())
              .append(" members=")
              .append(view.members().stream().map(m -> m.name()).sorted().toList());
          view.partitionTable()
              .ifPresentOrElse(
                  t ->
                      out.append(" table=v")
                          .append(t.table().version())
                          .append("@")
                          .append(t.index())
                          .append(" tableMembers=")
                          .append(t.table().members().size())
                          .append(" inFlight=")
                          .append(t.inFlight().size()),
                  () -> out.append(" table=none"));
        });
    return out.toString();
  }

  /** {@code host} with a free port. */
  public static String at(String host) {
    return host + ":" + FreePorts.tcpAndUdp();
  }
}
