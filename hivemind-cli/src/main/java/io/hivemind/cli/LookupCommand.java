package io.hivemind.cli;

import io.hivemind.api.ServiceEntry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hivemind lookup NAME [--passing] [--filter EXPR]}: a service's instances. */
@Command(
    name = "lookup",
    mixinStandardHelpOptions = true,
    description =
        "Print a service's instances with their address, node and health (the agent's local"
            + " replica). No instance exits 1.")
final class LookupCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private AgentAddressOptions agent;

  @Parameters(paramLabel = "NAME", description = "The service's name.")
  private String name;

  @Option(names = "--passing", description = "Only instances whose checks all pass.")
  private boolean passing;

  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      description =
          "Only instances a Consul filter expression keeps, as 'Service.Tags contains \"v2\"'"
              + " (docs/catalogue-http.md, \"Filtering\").")
  private String filter;

  @Option(names = "--json", description = "Print the API's JSON (/v1/health/service/NAME).")
  private boolean json;

  @Override
  public Integer call() {
    return agent.call(
        spec,
        client -> {
          List<ServiceEntry> entries =
              client.watch(name, passing, filter, 0, Duration.ZERO).value();
          PrintWriter out = spec.commandLine().getOut();
          if (json) {
            out.println(ControlText.json(entries));
          } else if (!entries.isEmpty()) {
            out.print(CatalogText.instances(entries));
          }
          out.flush();
          if (entries.isEmpty() && !json) {
            spec.commandLine()
                .getErr()
                .println(
                    "hivemind: no "
                        + (passing ? "passing " : "")
                        + "instance of "
                        + name
                        + (filter == null || filter.isBlank() ? "" : " the filter keeps"));
          }
          return entries.isEmpty() ? HivemindCommand.FAILURE : 0;
        });
  }
}
