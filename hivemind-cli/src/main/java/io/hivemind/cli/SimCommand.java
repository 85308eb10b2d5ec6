package io.hivemind.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hivemind sim}: runs the deterministic simulator. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = "Run seeded scenarios on the deterministic simulator (virtual time, no sockets).",
    subcommands = {
      SimMembershipCommand.class,
      SimCatalogueCommand.class,
      SimPartitionsCommand.class
    })
final class SimCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return HivemindCommand.USAGE_ERROR;
  }
}
