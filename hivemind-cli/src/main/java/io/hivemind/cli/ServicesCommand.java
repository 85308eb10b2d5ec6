package io.hivemind.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hivemind services}: every service in the catalogue, from the agent's replica. */
@Command(
    name = "services",
    mixinStandardHelpOptions = true,
    description = "List the catalogue's services and their tags (the agent's local replica).")
final class ServicesCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private AgentAddressOptions agent;

  @Option(names = "--json", description = "Print the API's JSON: {\"name\": [tags]}.")
  private boolean json;

  @Override
  public Integer call() {
    return agent.call(
        spec,
        client -> {
          Map<String, List<String>> services = client.services().value();
          PrintWriter out = spec.commandLine().getOut();
          out.print(
              json
                  ? ControlText.json(services) + System.lineSeparator()
                  : CatalogText.services(services));
          out.flush();
          return 0;
        });
  }
}
