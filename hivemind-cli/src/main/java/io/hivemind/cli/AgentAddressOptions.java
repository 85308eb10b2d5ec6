package io.hivemind.cli;

import io.hivemind.api.Environment;
import io.hivemind.api.WellKnownPorts;
import io.hivemind.client.HivemindClient;
import io.hivemind.client.HivemindClientException;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Which agent a command talks to ({@code --http-addr}, {@code --env}), shared by the commands that
 * call the HTTP API, and the one place that turns a failed call into a sentence and exit code 1.
 */
final class AgentAddressOptions {

  @Option(
      names = "--http-addr",
      paramLabel = "HOST[:PORT]",
      defaultValue = "${env:HIVEMIND_HTTP_ADDR}",
      description =
          "The agent's HTTP API, as host:port or http://host:port; env HIVEMIND_HTTP_ADDR"
              + " (default: 127.0.0.1 on the environment's well-known HTTP port).")
  String httpAddr;

  @Option(
      names = "--env",
      paramLabel = "ENV",
      defaultValue = "${env:HIVEMIND_ENV:-development}",
      converter = EnvironmentText.class,
      description =
          "production, staging, testing or development: picks the well-known port; env"
              + " HIVEMIND_ENV (default: development).")
  Environment environment = Environment.DEVELOPMENT;

  @Option(
      names = "--token",
      paramLabel = "SECRET",
      defaultValue = "${env:HIVEMIND_HTTP_TOKEN}",
      description =
          "The ACL token sent on every call (X-Consul-Token), for an agent with ACLs enabled; env"
              + " HIVEMIND_HTTP_TOKEN, which is better: a flag is visible to every user of the host"
              + " in ps.")
  String token;

  /** Something to do with a client; returns the exit code. */
  @FunctionalInterface
  interface ClientAction {
    int run(HivemindClient client);
  }

  /**
   * Runs {@code action} against the agent; a failed call prints {@code hivemind: <sentence>} to
   * stderr and exits 1, never a stack trace.
   */
  int call(CommandSpec spec, ClientAction action) {
    HivemindClient client = client(spec);
    try {
      return action.run(client);
    } catch (HivemindClientException e) {
      spec.commandLine().getErr().println("hivemind: " + sentence(e));
      return HivemindCommand.FAILURE;
    }
  }

  /** A client of the agent, presenting the token if one was given. */
  HivemindClient client(CommandSpec spec) {
    return HivemindClient.connect(agentUri(spec)).withToken(token);
  }

  /** The user's message, with a hint when no agent answered at all. */
  static String sentence(HivemindClientException e) {
    if (HivemindClientException.UNREACHABLE.equals(e.code())) {
      return e.getMessage() + " (is an agent running? --http-addr picks another)";
    }
    return e.getMessage();
  }

  /** The agent's base URI; a malformed {@code --http-addr} is a usage error. */
  URI agentUri(CommandSpec spec) {
    try {
      return agentUri();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  URI agentUri() {
    int defaultPort = WellKnownPorts.of(environment).http();
    if (httpAddr == null || httpAddr.isBlank()) {
      return URI.create("http://127.0.0.1:" + defaultPort);
    }
    String text = httpAddr.trim();
    try {
      URI uri = new URI(text.contains("://") ? text : "http://" + text);
      if (!isHostAndPort(uri)) {
        throw new URISyntaxException(text, "not host:port");
      }
      int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
      return new URI(uri.getScheme(), null, uri.getHost(), port, null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "'" + httpAddr + "' is not an agent address: use host:port or http://host:port", e);
    }
  }

  /** An http(s) URI of a host and maybe a port: no user, path, query or fragment. */
  private static boolean isHostAndPort(URI uri) {
    String path = uri.getRawPath();
    return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        && uri.getHost() != null
        && uri.getPort() != 0
        && uri.getPort() <= 65_535
        && uri.getRawUserInfo() == null
        && uri.getRawQuery() == null
        && uri.getRawFragment() == null
        && (path == null || path.isEmpty() || path.equals("/"));
  }

  /** {@code --env}: a case-insensitive environment name. */
  static final class EnvironmentText implements ITypeConverter<Environment> {
    @Override
    public Environment convert(String text) {
      try {
        return Environment.parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
