package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.AgentMember;
import io.hivemind.api.MemberState;
import io.hivemind.client.HivemindClient;
import io.hivemind.client.HivemindClientException;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.testkit.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runner behind {@code hivemind agent} and {@code hivemind dev --nodes N}, with real agents on
 * loopback (in the CLI's package: the runner is its internal). A leave ends one agent's life and
 * the others go on; the run ends, exit code 0, when the last has left (issue "Hostile and careless
 * users", item 8). {@code hivemind dev} itself is not started here: it takes the development
 * environment's fixed ports, which another run on the machine may hold.
 */
class AgentRunnerIT {

  private static final Duration CONVERGE = Duration.ofSeconds(30);

  @Test
  void twoAgents_oneLeaves_theOtherGoesOn_andTheRunEndsWhenTheLastHasLeft() throws Exception {
    int[] gossip = {FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp()};
    int[] http = {FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp()};
    List<AgentConfig> configs =
        List.of(
            config("r1", gossip[0], http[0], List.of()),
            config("r2", gossip[1], http[1], List.of("127.0.0.1:" + gossip[0])));
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> run = new CompletableFuture<>();
    Thread runner = new Thread(() -> run(configs, err, run), "agent-runner-it");
    runner.setDaemon(true); // a failed run must not keep the test JVM alive
    runner.start();
    HivemindClient first = client(http[0]);
    HivemindClient second = client(http[1]);
    await("both see both")
        .atMost(CONVERGE)
        .ignoreExceptions()
        .until(() -> count(first.members(), MemberState.ALIVE) == 2);

    second.leave();

    await("the second agent is gone").atMost(CONVERGE).until(() -> unreachable(http[1]));
    await("the first sees it LEFT")
        .atMost(CONVERGE)
        .until(() -> stateOf(first.members(), "r2").equals(Optional.of(MemberState.LEFT)));
    assertThat(run).as("one agent is still running").isNotDone();

    first.leave();

    assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(unreachable(http[0])).isTrue();
    assertThat(err.toString()).isEmpty();
  }

  private static void run(
      List<AgentConfig> configs, StringWriter err, CompletableFuture<Integer> run) {
    try {
      run.complete(AgentRunner.runUntilSignalled(configs, new PrintWriter(err, true)));
    } catch (InterruptedException | RuntimeException e) {
      run.completeExceptionally(e);
    }
  }

  private static AgentConfig config(String name, int gossipPort, int httpPort, List<String> seeds) {
    AgentSettings settings =
        new AgentSettings(
            name,
            "testing",
            0,
            "it-runner",
            "127.0.0.1:" + gossipPort,
            null,
            "127.0.0.1:" + httpPort,
            seeds,
            List.of("host"),
            Map.of(),
            "",
            "local",
            List.of(),
            null,
            null);
    return AgentConfig.resolve(settings, name);
  }

  private static HivemindClient client(int httpPort) {
    return HivemindClient.connect(URI.create("http://127.0.0.1:" + httpPort));
  }

  /** A new client each time: a pooled keep-alive connection would fail otherwise, not refuse. */
  private static boolean unreachable(int httpPort) {
    try {
      client(httpPort).members();
      return false;
    } catch (HivemindClientException e) {
      return HivemindClientException.UNREACHABLE.equals(e.code());
    }
  }

  private static long count(List<AgentMember> members, MemberState state) {
    return members.stream().filter(m -> m.state() == state).count();
  }

  private static Optional<MemberState> stateOf(List<AgentMember> members, String name) {
    return members.stream().filter(m -> m.name().equals(name)).map(AgentMember::state).findFirst();
  }
}
