package io.hivemind.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.membership.Address;
import io.hivemind.server.http.AgentOperations.OperationRefusedException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JoinCommandIT {

  @RegisterExtension final CliRun cli = new CliRun();

  @Test
  void join_everyAddress_oneJoinEachAndASummary() {
    int code = cli.runAgainstApi("join", "10.0.0.7:7340", "seed.example", "[::1]:7360");

    assertThat(code).as(cli.err.toString()).isZero();
    assertThat(cli.agent.joins)
        .containsExactly(
            List.of(new Address("10.0.0.7", 7340)),
            List.of(new Address("seed.example", 7360)),
            List.of(new Address("::1", 7360)));
    assertThat(cli.out.toString().trim()).isEqualTo("Joined the cluster through 3 of 3 nodes.");
    assertThat(cli.err.toString()).isEmpty();
  }

  @Test
  void join_oneBadAddress_reportedAndTheOthersStillJoin() {
    int code = cli.runAgainstApi("join", "bad:address", "10.0.0.7");

    assertThat(code).isZero();
    assertThat(cli.err.toString().trim())
        .isEqualTo(
            "hivemind: 'bad:address' is not a join address: the port must be a number in"
                + " 1..65535");
    assertThat(cli.out.toString().trim()).isEqualTo("Joined the cluster through 1 of 2 nodes.");
  }

  @Test
  void join_failsEverywhere_exit1WithTheAgentsSentence() {
    cli.agent.joinResult =
        CompletableFuture.failedFuture(new ConnectException("connection refused"));

    int code = cli.runAgainstApi("join", "10.0.0.7:7360");

    assertThat(code).isEqualTo(1);
    assertThat(cli.err.toString().trim())
        .isEqualTo("hivemind: join through 10.0.0.7:7360 failed: connection refused");
    assertThat(cli.out.toString()).isEmpty();
  }

  @Test
  void join_anAgentThatLeft_stopsAtTheFirstAddress_exit1() {
    cli.agent.joinResult =
        CompletableFuture.failedFuture(
            new OperationRefusedException(
                409,
                "agent_left",
                "this agent (node-1) has left the cluster and is shutting down"));

    int code = cli.runAgainstApi("join", "10.0.0.7", "10.0.0.8");

    assertThat(code).isEqualTo(1);
    assertThat(cli.agent.joins).hasSize(1);
    assertThat(cli.err.toString().trim())
        .isEqualTo(
            "hivemind: join through 10.0.0.7:7360 refused: this agent (node-1) has left the"
                + " cluster and is shutting down");
    assertThat(cli.out.toString()).isEmpty();
  }

  @Test
  void join_throughTheAgentItself_reportedForThatAddress_andTheOthersTried() {
    cli.agent.joinResult =
        CompletableFuture.failedFuture(
            new OperationRefusedException(
                400, "join_self", "that is this agent (node node-1) itself: join through another"));

    int code = cli.runAgainstApi("join", "10.0.0.1", "10.0.0.2");

    assertThat(code).isEqualTo(1);
    assertThat(cli.agent.joins).hasSize(2);
    assertThat(cli.err.toString())
        .contains("hivemind: join through 10.0.0.1:7360 refused: that is this agent");
    assertThat(cli.out.toString()).doesNotContain("Joined");
  }

  @Test
  void join_withoutAddress_usageError() {
    int code = cli.runAgainstApi("join");

    assertThat(code).isEqualTo(2);
    assertThat(cli.err.toString()).contains("Missing required parameter: 'ADDRESS'");
  }
}
