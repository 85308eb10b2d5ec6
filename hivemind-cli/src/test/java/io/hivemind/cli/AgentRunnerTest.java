package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.cli.AgentRunner.Shutdown;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a signalled agent does: leave only when someone would hear it. */
class AgentRunnerTest {

  private static Member member(String name, MemberState state) {
    return new Member(
        name,
        new Address("10.0.0.1", 7300),
        1,
        state,
        Set.of(),
        Map.of(),
        "",
        Environment.TESTING,
        "c");
  }

  @Test
  void sigtermWhileJoiningASilentSeed_shutsDownBeforeJoining_noLeave() {
    assertThat(AgentRunner.shutdownOf("t1", true, false, List.of(member("t1", MemberState.ALIVE))))
        .isEqualTo(Shutdown.BEFORE_JOINING);
  }

  @Test
  void joined_leaves() {
    assertThat(
            AgentRunner.shutdownOf(
                "t1",
                true,
                true,
                List.of(member("t1", MemberState.ALIVE), member("t2", MemberState.ALIVE))))
        .isEqualTo(Shutdown.LEAVE);
  }

  @Test
  void notJoinedButOthersJoinedIt_leaves() {
    assertThat(
            AgentRunner.shutdownOf(
                "t1",
                false,
                false,
                List.of(member("t1", MemberState.ALIVE), member("t2", MemberState.SUSPECT))))
        .isEqualTo(Shutdown.LEAVE);
  }

  @Test
  void clusterOfOne_orEveryoneElseGone_nobodyToTell() {
    assertThat(
            AgentRunner.shutdownOf(
                "t1",
                false,
                false,
                List.of(
                    member("t1", MemberState.ALIVE),
                    member("t2", MemberState.LEFT),
                    member("t3", MemberState.DEAD))))
        .isEqualTo(Shutdown.ALONE);
  }
}
