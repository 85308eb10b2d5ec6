package io.hivemind.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hivemind tls}: the cluster CA and node certificates for mutual TLS. */
@Command(
    name = "tls",
    mixinStandardHelpOptions = true,
    description = {
      "Create the cluster CA and the node certificates of mutual TLS (docs/security.md).",
      "Once: 'hivemind tls ca create'. Per node: 'hivemind tls cert create --name NODE'."
    },
    subcommands = {TlsCaCommand.class, TlsCertCommand.class})
final class TlsCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return HivemindCommand.USAGE_ERROR;
  }
}
