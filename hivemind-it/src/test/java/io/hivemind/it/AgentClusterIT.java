package io.hivemind.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Member;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Five agents on loopback in one JVM, each with its own gossip socket and HTTP API: they form a
 * cluster, detect an abrupt close, see a graceful leave as LEFT, and take the leaver back.
 */
class AgentClusterIT {

  private static final Duration CONVERGE = Duration.ofSeconds(30);

  private final List<Agent> agents = new ArrayList<>();

  @AfterEach
  void closeAll() {
    agents.forEach(Agent::close);
  }

  @Test
  void fiveAgents_crashLeaveAndRejoin_seenByAll() throws IOException {
    Agent seed = start("a1", List.of());
    for (int i = 2; i <= 5; i++) {
      start("a" + i, List.of(seed.gossipAddress().host() + ":" + seed.gossipAddress().port()));
    }
    await("5 agents see 5 alive").atMost(CONVERGE).until(() -> allSee(agents, 5));

    Agent crashed = agents.get(4);
    crashed.close();
    List<Agent> survivors = agents.subList(0, 4);
    await("a5 is DEAD everywhere")
        .atMost(CONVERGE)
        .until(() -> stateEverywhere(survivors, "a5", MemberState.DEAD));

    Agent leaver = agents.get(3);
    assertThat(leaver.leave(Duration.ofSeconds(10))).isTrue();
    leaver.close();
    List<Agent> stayers = agents.subList(0, 3);
    await("a4 is LEFT everywhere")
        .atMost(CONVERGE)
        .until(() -> stateEverywhere(stayers, "a4", MemberState.LEFT));
    assertThat(stateEverywhere(stayers, "a5", MemberState.DEAD)).isTrue();

    start("a4", List.of(seed.gossipAddress().host() + ":" + seed.gossipAddress().port()));
    List<Agent> withReturned = List.of(agents.get(0), agents.get(1), agents.get(2), agents.get(5));
    await("a4 is ALIVE again everywhere")
        .atMost(CONVERGE)
        .until(() -> stateEverywhere(withReturned, "a4", MemberState.ALIVE));
  }

  @Test
  void seedStartedLater_joinIsRetriedUntilItAnswers() throws IOException {
    int seedPort = FreePorts.tcpAndUdp();
    Agent early = start("early", List.of("127.0.0.1:" + seedPort));
    await("the first join attempt fails")
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> early.membership().members().size() == 1);

    start("late-seed", List.of(), "127.0.0.1:" + seedPort);

    await("the retry reaches the seed: both see both")
        .atMost(CONVERGE)
        .until(() -> allSee(agents, 2));
  }

  private Agent start(String name, List<String> seeds) throws IOException {
    return start(name, seeds, "127.0.0.1:0");
  }

  private Agent start(String name, List<String> seeds, String bind) throws IOException {
    AgentSettings settings =
        new AgentSettings(
            name,
            "testing",
            0,
            "it",
            bind,
            null,
            "127.0.0.1:0",
            seeds,
            List.of("host"),
            Map.of(),
            "",
            "local",
            List.of(),
            null,
            null);
    Agent agent = Agent.start(AgentConfig.resolve(settings, name), "it");
    agents.add(agent);
    return agent;
  }

  private static boolean allSee(List<Agent> agents, int alive) {
    return agents.stream()
        .allMatch(
            a ->
                a.membership().members().stream()
                        .filter(m -> m.state() == MemberState.ALIVE)
                        .count()
                    == alive);
  }

  private static boolean stateEverywhere(List<Agent> observers, String name, MemberState state) {
    return observers.stream()
        .allMatch(
            a -> {
              Optional<Member> member =
                  a.membership().members().stream().filter(m -> m.name().equals(name)).findFirst();
              return member.isPresent() && member.get().state() == state;
            });
  }
}
