package io.hivemind.cli;

import io.hivemind.api.HealthCheck;
import io.hivemind.client.HivemindClient;
import io.hivemind.core.catalog.CheckDefinition;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hivemind maint [--enable | --disable] [--reason TEXT] [--service ID]}: Consul's {@code
 * consul maint}. Without {@code --enable} or {@code --disable} it lists what is in maintenance on
 * the agent (its node, its instances), from the agent's checks.
 */
@Command(
    name = "maint",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Put the agent's node, or one of its instances (--service), in maintenance or take it out:"
            + " in maintenance it leaves every lookup of passing instances and DNS. Without"
            + " --enable or --disable, list what is in maintenance.")
final class MaintCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private AgentAddressOptions agent;

  @ArgGroup(exclusive = true)
  private Change change;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      defaultValue = "",
      description = "Why, shown as the maintenance check's notes (with --enable).")
  private String reason;

  @Option(
      names = "--service",
      paramLabel = "ID",
      description = "The instance (by id) to put in or take out, instead of the node.")
  private String serviceId;

  /** Exactly one of the two, when either is given. */
  static final class Change {
    @Option(names = "--enable", required = true, description = "Enter maintenance.")
    boolean enable;

    @Option(names = "--disable", required = true, description = "Leave maintenance.")
    boolean disable;
  }

  @Override
  public Integer call() {
    return agent.call(
        spec,
        client -> {
          PrintWriter out = spec.commandLine().getOut();
          if (change == null) {
            list(client, out);
          } else if (serviceId != null) {
            client.maintenance(serviceId, change.enable, reason);
            String verb = change.enable ? "entered" : "left";
            out.println("Service " + verb + " maintenance mode: " + serviceId);
          } else {
            client.nodeMaintenance(change.enable, reason);
            out.println(
                change.enable ? "Node entered maintenance mode" : "Node left maintenance mode");
          }
          out.flush();
          return 0;
        });
  }

  private static void list(HivemindClient client, PrintWriter out) {
    Map<String, HealthCheck> checks = client.agentChecks();
    HealthCheck node = checks.get(CheckDefinition.NODE_MAINTENANCE_ID);
    if (node != null) {
      out.println("Node: " + node.node());
      out.println("Reason: " + node.notes());
      out.println();
    }
    checks.values().stream()
        .filter(check -> check.checkId().startsWith(CheckDefinition.MAINTENANCE_PREFIX))
        .forEach(
            check -> {
              out.println("Service: " + check.serviceId());
              out.println("Reason: " + check.notes());
              out.println();
            });
  }
}
