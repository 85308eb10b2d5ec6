package io.hivemind.cli;

import io.hivemind.api.AgentConfig;
import io.hivemind.client.HivemindClient;
import io.hivemind.client.HivemindClientException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code hivemind version}: this command's version, the client library's, and the agent's when one
 * answers. A missing agent is reported, not a failure: the local versions are still worth printing.
 */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Print the versions of this command, its client library and the agent.")
final class VersionCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private AgentAddressOptions agent;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("hivemind " + cliVersion());
    out.println("client   " + HivemindClient.version());
    HivemindClient client = agent.client(spec);
    try {
      AgentConfig config = client.self().config();
      out.println(
          "agent    "
              + config.version()
              + " ("
              + config.nodeName()
              + " at "
              + client.agent()
              + ")");
    } catch (HivemindClientException e) {
      out.println("agent    unknown: " + e.getMessage());
    }
    out.flush();
    return 0;
  }

  /** The jar manifest's Implementation-Version, or {@code dev} when run from classes. */
  static String cliVersion() {
    String version = VersionCommand.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
