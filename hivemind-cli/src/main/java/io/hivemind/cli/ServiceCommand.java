package io.hivemind.cli;

import io.hivemind.api.CheckRequest;
import io.hivemind.api.ServiceRegistrationRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hivemind service register | deregister}: the agent's own instances. */
@Command(
    name = "service",
    mixinStandardHelpOptions = true,
    description = "Register and deregister service instances owned by the agent.",
    subcommands = {ServiceCommand.Register.class, ServiceCommand.Deregister.class})
final class ServiceCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return HivemindCommand.USAGE_ERROR;
  }

  /** {@code service register NAME [--id] [--address] [--port] [--tag]... [--meta]... [check]}. */
  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Register an instance owned by the agent (it lives as long as the agent, or until"
              + " deregistered), with at most one check: --ttl, --http or --tcp.")
  static final class Register implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Parameters(paramLabel = "NAME", description = "The service's name.")
    private String name;

    @Option(names = "--id", paramLabel = "ID", description = "The instance's id (default: NAME).")
    private String id;

    @Option(
        names = "--address",
        paramLabel = "HOST",
        defaultValue = "",
        description = "Its address (default: the agent's).")
    private String address;

    @Option(names = "--port", paramLabel = "PORT", description = "Its port (default: 0).")
    private int port;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag; repeat for more.")
    private List<String> tags = new ArrayList<>();

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata; repeat for more.")
    private Map<String, String> meta = new LinkedHashMap<>();

    @Option(names = "--ttl", paramLabel = "DURATION", description = "A TTL check, such as 30s.")
    private String ttl;

    @Option(names = "--http", paramLabel = "URL", description = "An HTTP check of this URL.")
    private String http;

    @Option(names = "--tcp", paramLabel = "HOST:PORT", description = "A TCP check.")
    private String tcp;

    @Option(
        names = "--interval",
        paramLabel = "DURATION",
        defaultValue = "10s",
        description = "The HTTP or TCP check's interval (default: 10s).")
    private String interval;

    @Option(names = "--json", description = "Print the registration sent, as the API's JSON.")
    private boolean json;

    @Override
    public Integer call() {
      ServiceRegistrationRequest registration =
          new ServiceRegistrationRequest(id, name, tags, address, port, meta, null, check(), null);
      return agent.call(
          spec,
          client -> {
            client.register(registration);
            spec.commandLine()
                .getOut()
                .println(
                    json
                        ? ControlText.json(registration)
                        : "Registered service: " + name + " (id " + (id == null ? name : id) + ")");
            spec.commandLine().getOut().flush();
            return 0;
          });
    }

    private CheckRequest check() {
      int kinds = (ttl != null ? 1 : 0) + (http != null ? 1 : 0) + (tcp != null ? 1 : 0);
      if (kinds > 1) {
        throw new ParameterException(spec.commandLine(), "give one check: --ttl, --http or --tcp");
      }
      if (ttl != null) {
        return CheckRequest.ttl(ttl);
      }
      if (http != null) {
        return CheckRequest.http(http, interval);
      }
      return tcp == null ? null : CheckRequest.tcp(tcp, interval);
    }
  }

  /** {@code service deregister ID}. */
  @Command(
      name = "deregister",
      mixinStandardHelpOptions = true,
      description = "Deregister one of the agent's instances by its id.")
  static final class Deregister implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Parameters(paramLabel = "ID", description = "The instance's id (not the service's name).")
    private String id;

    @Option(names = "--json", description = "Print the API's answer: true.")
    private boolean json;

    @Override
    public Integer call() {
      return agent.call(
          spec,
          client -> {
            client.deregister(id);
            spec.commandLine().getOut().println(json ? "true" : "Deregistered service: " + id);
            spec.commandLine().getOut().flush();
            return 0;
          });
    }
  }
}
