package io.hivemind.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hivemind tls cert}: node certificates signed by the cluster CA. */
@Command(
    name = "cert",
    mixinStandardHelpOptions = true,
    description = "Node certificates signed by the cluster CA.",
    subcommands = {TlsCertCreateCommand.class})
final class TlsCertCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return HivemindCommand.USAGE_ERROR;
  }
}
