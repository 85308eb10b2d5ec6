package io.hivemind.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hivemind tls ca}: the cluster's certificate authority. */
@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    description = "The cluster's certificate authority.",
    subcommands = {TlsCaCreateCommand.class})
final class TlsCaCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return HivemindCommand.USAGE_ERROR;
  }
}
