package io.hivemind.cli;

import io.hivemind.server.agent.ConfigException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root of the {@code hivemind} command: subcommands do the work. */
@Command(
    name = "hivemind",
    mixinStandardHelpOptions = true,
    versionProvider = HivemindCommand.ManifestVersion.class,
    description = "A self-organising cluster for the JVM.",
    subcommands = {
      AgentCommand.class,
      DevCommand.class,
      MembersCommand.class,
      JoinCommand.class,
      LeaveCommand.class,
      StatusCommand.class,
      PartitionsCommand.class,
      OperatorCommand.class,
      EventsCommand.class,
      KvCommand.class,
      SessionCommand.class,
      LockCommand.class,
      StateCommand.class,
      AclCommand.class,
      ServicesCommand.class,
      ServiceCommand.class,
      MaintCommand.class,
      LookupCommand.class,
      WatchCommand.class,
      KeygenCommand.class,
      TlsCommand.class,
      VersionCommand.class,
      SimCommand.class
    })
public final class HivemindCommand implements Callable<Integer> {

  /**
   * Exit code for a usage mistake (picocli's convention) and for every configuration mistake: a bad
   * flag, variable or YAML value, a missing gossip key in production. README documents it.
   */
  static final int USAGE_ERROR = 2;

  /** Exit code for a failure that is not the user's mistake (a port in use, no agent answering). */
  static final int FAILURE = 1;

  @Spec private CommandSpec spec;

  /** Set by {@link #runAfterParsing}; read once picocli has returned. */
  private Callable<Integer> longRun;

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(execute(args, out, err));
  }

  /**
   * Runs the command line with the given writers and returns the exit code: what {@link #main} does
   * without exiting, for embedding the command and for end-to-end tests.
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    Parsed parsed = parseAndCall(args, out, err);
    if (parsed.longRun() == null || parsed.exitCode() != 0) {
      return parsed.exitCode();
    }
    try {
      return parsed.longRun().call();
    } catch (Exception e) {
      return failed(e, err);
    }
  }

  /**
   * What picocli's run of the command line left: its exit code, and the work of a command that runs
   * until the process is told to stop ({@link #runAfterParsing}), or null.
   */
  private record Parsed(int exitCode, Callable<Integer> longRun) {}

  /**
   * Parses and calls the command. Picocli's model of every command (their options, usage texts and
   * converters: about 1 MB of heap) is reachable only from this call's frame, so a long-running
   * command handed over with {@link #runAfterParsing} runs without it (issue 10, the plain agent's
   * footprint).
   */
  private static Parsed parseAndCall(String[] args, PrintWriter out, PrintWriter err) {
    HivemindCommand root = new HivemindCommand();
    CommandLine commandLine = new CommandLine(root);
    commandLine.setOut(out);
    commandLine.setErr(err);
    // Everything after the lock's prefix is the command's, its own options included (consul lock).
    commandLine.getSubcommands().get("lock").setStopAtPositional(true);
    commandLine.setParameterExceptionHandler(
        (e, ignored) -> {
          err.println("hivemind: " + e.getMessage());
          err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return USAGE_ERROR;
        });
    commandLine.setExecutionExceptionHandler((e, ignored, parseResult) -> failed(e, err));
    int exitCode = commandLine.execute(args);
    return new Parsed(exitCode, root.longRun);
  }

  private static int failed(Exception e, PrintWriter err) {
    if (e instanceof ConfigException) {
      // A configuration sentence that escaped its command: still the user's to fix.
      err.println("hivemind: " + e.getMessage());
      return USAGE_ERROR;
    }
    // Not a user mistake (those are ParameterExceptions): say so and keep the trace for a report.
    err.println("hivemind: internal error: " + e);
    e.printStackTrace(err);
    return FAILURE;
  }

  /**
   * Hands over the work of a subcommand that runs until the process is told to stop: {@link
   * #execute} runs it once picocli has returned (the subcommand returns 0 from its own call), and
   * its result is the exit code. Outside {@link #execute} (a test building the subcommand's own
   * command line) there is no parent, and the subcommand runs the work itself.
   */
  void runAfterParsing(Callable<Integer> work) {
    longRun = work;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE_ERROR;
  }

  /** The version the jar's manifest carries, or {@code dev} when run from classes. */
  public static String version() {
    String version = HivemindCommand.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /** Feeds {@code --version}. */
  static final class ManifestVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"hivemind " + version()};
    }
  }
}
