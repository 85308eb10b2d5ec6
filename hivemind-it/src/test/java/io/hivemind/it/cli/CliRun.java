package io.hivemind.it.cli;

import io.hivemind.cli.HivemindCommand;
import io.hivemind.server.http.HttpApi;
import io.hivemind.server.http.HttpApiConfig;
import io.hivemind.testkit.FixedAgent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP API on a free port over a {@link FixedAgent}, and the command line to call it. A
 * JUnit extension: {@code @RegisterExtension final CliRun cli = new CliRun();} starts the API
 * before each test and closes it after.
 */
final class CliRun implements BeforeEachCallback, AfterEachCallback {

  static final String AGENT_VERSION = "9.9.9";

  final FixedAgent agent = new FixedAgent();
  HttpApi api;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    api = HttpApi.start(HttpApiConfig.of("127.0.0.1", 0, AGENT_VERSION), agent);
  }

  /** {@code --http-addr} of the running API. */
  String httpAddr() {
    return "127.0.0.1:" + api.port();
  }

  /** Runs {@code hivemind args...}; output collects in {@link #out} and {@link #err}. */
  int run(String... args) {
    return HivemindCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** Runs {@code hivemind command --http-addr <this API> args...}. */
  int runAgainstApi(String command, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = command;
    all[1] = "--http-addr";
    all[2] = httpAddr();
    System.arraycopy(args, 0, all, 3, args.length);
    return run(all);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    api.close();
  }
}
