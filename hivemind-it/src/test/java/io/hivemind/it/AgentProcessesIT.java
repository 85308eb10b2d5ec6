package io.hivemind.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.AgentMember;
import io.hivemind.api.MemberState;
import io.hivemind.client.HivemindClient;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three agents as separate processes, started by the repository's {@code hivemind} launcher from
 * the built distribution: {@code kill -9} of one is detected as DEAD, SIGTERM of another is seen as
 * LEFT.
 */
class AgentProcessesIT {

  private static final Duration CONVERGE = Duration.ofSeconds(45);

  @TempDir Path logs;

  private LauncherAgents launched;

  @BeforeEach
  void launcher() {
    launched = new LauncherAgents(logs, "it-processes");
  }

  @AfterEach
  void killAll() {
    launched.close();
  }

  @Test
  void threeProcesses_kill9IsDead_sigtermIsLeft() throws Exception {
    int[] gossip = {FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp()};
    int[] http = {FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp()};
    String seed = "127.0.0.1:" + gossip[0];
    for (int i = 0; i < 3; i++) {
      start("p" + (i + 1), gossip[i], http[i], i == 0 ? null : seed);
    }
    HivemindClient observer = HivemindClient.connect(URI.create("http://127.0.0.1:" + http[0]));
    await("3 processes see each other")
        .atMost(CONVERGE)
        .ignoreExceptions()
        .until(() -> count(observer.members(), MemberState.ALIVE) == 3);
    // A quiet cluster keeps its incarnations: each JVM orders sets its own way, and records that
    // compared by encoding once made these three refute each other about five times a second.
    // A refutation or two from a slow CI machine is allowed; a storm is not.
    await("incarnations stay put")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> observer.members().stream().allMatch(m -> m.incarnation() < 3));

    launched.processes().get(2).destroyForcibly(); // SIGKILL: no leave, a failure
    await("p3 is DEAD")
        .atMost(CONVERGE)
        .until(() -> stateOf(observer.members(), "p3").equals(Optional.of(MemberState.DEAD)));

    Process p2 = launched.processes().get(1);
    p2.destroy(); // SIGTERM: graceful leave, then exit
    assertThat(p2.waitFor(30, TimeUnit.SECONDS)).as("p2 exits after leaving").isTrue();
    await("p2 is LEFT")
        .atMost(CONVERGE)
        .until(() -> stateOf(observer.members(), "p2").equals(Optional.of(MemberState.LEFT)));
    assertThat(Files.readString(logs.resolve("p2.log"))).contains("left the cluster");
  }

  private void start(String name, int gossipPort, int httpPort, String seed) throws IOException {
    launched.start(name, gossipPort, httpPort, seed);
  }

  private static long count(List<AgentMember> members, MemberState state) {
    return members.stream().filter(m -> m.state() == state).count();
  }

  private static Optional<MemberState> stateOf(List<AgentMember> members, String name) {
    return members.stream().filter(m -> m.name().equals(name)).map(AgentMember::state).findFirst();
  }
}
