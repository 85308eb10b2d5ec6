package io.hivemind.it.control.http;

import io.hivemind.cli.HivemindCommand;
import io.hivemind.client.HivemindClient;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.http.AgentOperations;
import io.hivemind.server.http.HttpApi;
import io.hivemind.server.http.HttpApiConfig;
import io.hivemind.testkit.FixedAgent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP API on a free loopback port over a {@link FixedAgent} with an {@link
 * InMemoryControlPlane}; a client of it, and the command line to call it. A JUnit extension: start
 * before each test, close after.
 */
final class ControlApi implements BeforeEachCallback, AfterEachCallback {

  final InMemoryControlPlane plane = new InMemoryControlPlane();
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  HttpApi api;
  HivemindClient client;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    api = HttpApi.start(HttpApiConfig.of("127.0.0.1", 0, "9.9.9"), new WithControl(plane));
    client = HivemindClient.connect(api.uri());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    api.close();
  }

  /** Runs {@code hivemind args... --http-addr <this API>} (nested commands take it last). */
  int cli(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--http-addr";
    all[args.length + 1] = "127.0.0.1:" + api.port();
    return HivemindCommand.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /**
   * Runs {@code hivemind lock --http-addr <this API> args...}: the lock's options come before its
   * prefix, since everything after it is the command's.
   */
  int lock(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "lock";
    all[1] = "--http-addr";
    all[2] = "127.0.0.1:" + api.port();
    System.arraycopy(args, 0, all, 3, args.length);
    return HivemindCommand.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** {@link FixedAgent}'s members and operations, with a control plane. */
  private static final class WithControl implements AgentOperations {
    private final FixedAgent fixed = new FixedAgent();
    private final ControlPlane control;

    WithControl(ControlPlane control) {
      this.control = control;
    }

    @Override
    public Member self() {
      return fixed.self();
    }

    @Override
    public List<Member> members() {
      return fixed.members();
    }

    @Override
    public Map<String, Long> counters() {
      return fixed.counters();
    }

    @Override
    public CompletableFuture<Void> join(List<Address> seeds) {
      return fixed.join(seeds);
    }

    @Override
    public CompletableFuture<Void> leave() {
      return fixed.leave();
    }

    @Override
    public String prometheusScrape() {
      return fixed.prometheusScrape();
    }

    @Override
    public ControlPlane control() {
      return control;
    }
  }
}
