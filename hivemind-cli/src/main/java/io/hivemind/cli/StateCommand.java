package io.hivemind.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hivemind state get | put | delete}: the partitioned store (issue 13), through any agent's
 * HTTP API (it forwards to the key's owner). Exit codes: 0 done, 1 absent, a lost compare-and-set
 * or a failure, 2 usage.
 */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    description =
        "Read and write the partitioned store (/v1/state: maps of keys, spread over"
            + " the cluster).",
    subcommands = {StateCommand.Get.class, StateCommand.Put.class, StateCommand.Delete.class})
final class StateCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return HivemindCommand.USAGE_ERROR;
  }

  /** A request's outcome; the exit code. */
  @FunctionalInterface
  interface Call {
    int run(StateHttp http) throws StateHttp.UnreachableException, IOException;
  }

  static int run(CommandSpec spec, AgentAddressOptions agent, Call call) {
    StateHttp http = new StateHttp(agent.agentUri(spec), agent.token);
    try {
      return call.run(http);
    } catch (StateHttp.UnreachableException | IOException e) {
      spec.commandLine().getErr().println("hivemind: " + e.getMessage());
      return HivemindCommand.FAILURE;
    }
  }

  /** Any answer but the ones a command expects: its message on stderr, exit 1. */
  static int failed(CommandSpec spec, StateHttp.Answer answer) {
    spec.commandLine().getErr().println("hivemind: " + answer.message());
    return HivemindCommand.FAILURE;
  }

  /** {@code state get MAP KEY}: the raw value on stdout. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Print a key's value (as UTF-8 text). A missing key exits 1.")
  static final class Get implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Parameters(index = "0", paramLabel = "MAP", description = "The map.")
    private String map;

    @Parameters(index = "1", paramLabel = "KEY", description = "The key.")
    private String key;

    @Option(names = "--show-version", description = "Also print the entry's version on stderr.")
    private boolean showVersion;

    @Override
    public Integer call() {
      return run(
          spec,
          agent,
          http -> {
            StateHttp.Answer answer = http.get(map, key);
            if (answer.status() == 404) {
              spec.commandLine().getErr().println("hivemind: no key '" + key + "' in " + map);
              return HivemindCommand.FAILURE;
            }
            if (answer.status() != 200) {
              return failed(spec, answer);
            }
            spec.commandLine().getOut().println(new String(answer.body(), StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            if (showVersion) {
              spec.commandLine().getErr().println("version " + answer.version());
            }
            return 0;
          });
    }
  }

  /** {@code state put MAP KEY [VALUE | --file F] [--ttl D] [--cas N]}. */
  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description =
          "Set a key to a value (UTF-8 text, or a file's bytes). With --cas, only if the key's"
              + " version is still N (0: only if it does not exist); a lost compare-and-set exits"
              + " 1.")
  static final class Put implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Parameters(index = "0", paramLabel = "MAP", description = "The map.")
    private String map;

    @Parameters(index = "1", paramLabel = "KEY", description = "The key.")
    private String key;

    @Parameters(index = "2", arity = "0..1", paramLabel = "VALUE", description = "The value.")
    private String value;

    @Option(names = "--file", paramLabel = "F", description = "Read the value from file F.")
    private Path file;

    @Option(
        names = "--ttl",
        paramLabel = "D",
        description = "Remove the entry D after this write (30s, 5m, 1h).")
    private String ttl;

    @Option(
        names = "--cas",
        paramLabel = "N",
        description = "Write only if the key's version is N (0: only a new key).")
    private Long cas;

    @Override
    public Integer call() throws IOException {
      if ((value == null) == (file == null)) {
        throw new ParameterException(spec.commandLine(), "give a VALUE or --file, not both");
      }
      if (cas != null && cas < 0) {
        throw new ParameterException(spec.commandLine(), "--cas must be 0 or above, got " + cas);
      }
      byte[] bytes = file == null ? value.getBytes(StandardCharsets.UTF_8) : read(file);
      return run(
          spec,
          agent,
          http -> {
            StateHttp.Answer answer = http.put(map, key, bytes, ttl, cas);
            if (answer.status() == 409) {
              spec.commandLine()
                  .getErr()
                  .println(
                      "hivemind: did not write "
                          + key
                          + ": its version is "
                          + answer.version()
                          + ", not "
                          + cas);
              return HivemindCommand.FAILURE;
            }
            if (answer.status() != 200) {
              return failed(spec, answer);
            }
            spec.commandLine()
                .getOut()
                .println("Success! " + key + " is at version " + answer.number("version"));
            spec.commandLine().getOut().flush();
            return 0;
          });
    }

    private byte[] read(Path path) {
      try {
        return Files.readAllBytes(path);
      } catch (IOException e) {
        throw new ParameterException(
            spec.commandLine(), "cannot read --file " + path + ": " + e.getMessage());
      }
    }
  }

  /** {@code state delete MAP KEY}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a key. A key that did not exist exits 1.")
  static final class Delete implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Parameters(index = "0", paramLabel = "MAP", description = "The map.")
    private String map;

    @Parameters(index = "1", paramLabel = "KEY", description = "The key.")
    private String key;

    @Override
    public Integer call() {
      return run(
          spec,
          agent,
          http -> {
            StateHttp.Answer answer = http.delete(map, key);
            if (answer.status() != 200) {
              return failed(spec, answer);
            }
            if (!answer.flag("deleted")) {
              spec.commandLine().getErr().println("hivemind: no key '" + key + "' in " + map);
              return HivemindCommand.FAILURE;
            }
            spec.commandLine().getOut().println("Success! Deleted " + key);
            spec.commandLine().getOut().flush();
            return 0;
          });
    }
  }
}
