package io.hivemind.cli;

import io.hivemind.server.transport.GossipKeyring;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hivemind keygen}: prints a new gossip encryption key. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Print a new random AES-256 gossip key (32 bytes, base64) for the gossip key setting.",
      "Every agent of a cluster needs the same key; to rotate, add the new key beside the old"
          + " one first."
    })
final class KeygenCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(GossipKeyring.generateKey());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
