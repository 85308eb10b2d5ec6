package io.hivemind.cli;

import io.hivemind.api.ServiceEntry;
import io.hivemind.client.HivemindClient;
import io.hivemind.client.Indexed;
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

/**
 * {@code hivemind watch NAME}: follows a service with blocking queries and prints each change as it
 * comes, until interrupted.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description =
        "Follow a service: print its instances, then each change as it happens (+ new, ~ changed,"
            + " - gone), with blocking queries on the agent's replica. Ctrl-C ends.")
final class WatchCommand implements Callable<Integer> {

  /** Each blocking query's wait: long, since the agent answers at once when the service changes. */
  static final Duration WAIT = Duration.ofMinutes(5);

  @Spec private CommandSpec spec;

  @Mixin private AgentAddressOptions agent;

  @Parameters(paramLabel = "NAME", description = "The service's name.")
  private String name;

  @Option(names = "--passing", description = "Only instances whose checks all pass.")
  private boolean passing;

  @Option(
      names = "--json",
      description = "Print the API's JSON of every answer, one line each, instead of the changes.")
  private boolean json;

  @Override
  public Integer call() {
    return agent.call(spec, this::follow);
  }

  private int follow(HivemindClient client) {
    PrintWriter out = spec.commandLine().getOut();
    List<ServiceEntry> shown = List.of();
    long index = 0;
    while (!Thread.currentThread().isInterrupted()) {
      Indexed<List<ServiceEntry>> answer = client.watch(name, passing, index, WAIT);
      if (json) {
        if (index == 0 || !answer.value().equals(shown)) {
          out.println(ControlText.jsonLine(answer.value()));
        }
      } else {
        CatalogText.changes(shown, answer.value()).forEach(out::println);
      }
      out.flush();
      shown = answer.value();
      // An index that went back (the agent restarted) starts over from the agent's.
      index = answer.index();
    }
    return 0;
  }
}
