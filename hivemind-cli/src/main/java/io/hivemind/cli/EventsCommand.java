package io.hivemind.cli;

import io.hivemind.api.UserEvent;
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
import picocli.CommandLine.Spec;

/** {@code hivemind events [--follow] [--index N]}: the cluster's event log. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Print the cluster's event log (members admitted, left, removed; epoch changes; events"
            + " roles and `PUT /v1/event/fire` append): one line an event, oldest first.")
final class EventsCommand implements Callable<Integer> {

  /** Each wait of a follow: long, since the agent answers at once when an event arrives. */
  static final Duration FOLLOW_WAIT = Duration.ofMinutes(5);

  @Spec private CommandSpec spec;

  @Mixin private AgentAddressOptions agent;

  @Option(
      names = "--index",
      paramLabel = "N",
      description = "Only events after log index N (default: every retained event).")
  private long index;

  @Option(names = "--name", paramLabel = "NAME", description = "Only events of this type.")
  private String name;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep waiting for new events and print them as they come (Ctrl-C ends).")
  private boolean follow;

  @Option(names = "--json", description = "Print each event as one line of the API's JSON.")
  private boolean json;

  @Override
  public Integer call() {
    return agent.call(
        spec,
        client -> {
          Indexed<List<UserEvent>> page = client.events(0, FOLLOW_WAIT);
          long seen = print(page.value(), index);
          while (follow && !Thread.currentThread().isInterrupted()) {
            page = next(client, page.index());
            seen = print(page.value(), seen);
          }
          return 0;
        });
  }

  /** Waits for a change after {@code after}; an agent index that went back starts over. */
  private static Indexed<List<UserEvent>> next(HivemindClient client, long after) {
    return client.events(Math.max(1, after), FOLLOW_WAIT);
  }

  /** Prints the events after {@code after}; returns the highest index printed or seen. */
  private long print(List<UserEvent> events, long after) {
    PrintWriter out = spec.commandLine().getOut();
    long last = after;
    for (UserEvent event : events) {
      if (event.index() > after && (name == null || name.equals(event.name()))) {
        out.println(json ? ControlText.jsonLine(event) : ControlText.event(event));
      }
      last = Math.max(last, event.index());
    }
    out.flush();
    return last;
  }
}
