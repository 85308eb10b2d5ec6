package io.hivemind.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaveCommandIT {

  @RegisterExtension final CliRun cli = new CliRun();

  @Test
  void leave_announcedThenExit0() {
    int code = cli.runAgainstApi("leave");

    assertThat(code).as(cli.err.toString()).isZero();
    assertThat(cli.agent.leaves).isEqualTo(1);
    assertThat(cli.out.toString().trim())
        .isEqualTo("Left the cluster; the agent is shutting down.");
  }

  @Test
  void leave_fails_exit1WithTheAgentsSentence() {
    cli.agent.leaveResult =
        CompletableFuture.failedFuture(new IllegalStateException("the agent never joined"));

    int code = cli.runAgainstApi("leave");

    assertThat(code).isEqualTo(1);
    assertThat(cli.err.toString().trim())
        .isEqualTo("hivemind: leave failed: the agent never joined");
  }
}
