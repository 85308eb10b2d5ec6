package io.hivemind.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.server.control.NoQuorumException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  private static final Duration BOUND = Duration.ofSeconds(3);

  @Test
  void timeout_isNoQuorum_namingTheBound() {
    RuntimeException mapped =
        Failures.translate("submit", new CompletionException(new TimeoutException()), BOUND);

    assertThat(mapped).isInstanceOf(NoQuorumException.class).hasMessageContaining("3000 ms");
  }

  @Test
  void ratisNoLeaderAndRetryFailures_areNoQuorum() {
    assertThat(
            Failures.translate(
                "submit", new NotLeaderException(null, null, java.util.List.of()), BOUND))
        .isInstanceOf(NoQuorumException.class);
    assertThat(
            Failures.translate(
                "submit",
                new RaftRetryFailureException(null, 3, null, new IOException("x")),
                BOUND))
        .isInstanceOf(NoQuorumException.class);
    assertThat(Failures.translate("submit", new IOException("connection refused"), BOUND))
        .isInstanceOf(NoQuorumException.class)
        .hasMessageContaining("connection refused");
  }

  @Test
  void stateMachineFailure_isNotAQuorumProblem() {
    RuntimeException mapped =
        Failures.translate("submit", new StateMachineException("apply failed"), BOUND);

    assertThat(mapped).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void callersOwnErrors_passThrough() {
    IllegalArgumentException bad = new IllegalArgumentException("no voter named ghost");

    assertThat(Failures.translate("transfer", new CompletionException(bad), BOUND)).isSameAs(bad);
  }

  @Test
  void closedWindowAndUsedUpRetries_breakTheClient_otherFailuresDoNot() {
    assertThat(
            Failures.breaksClient(
                new CompletionException(
                    new AlreadyClosedException("SlidingWindow$Client:c->RAFT is closed."))))
        .isTrue();
    assertThat(
            Failures.breaksClient(
                new RaftRetryFailureException(null, 3, null, new IOException("x"))))
        .isTrue();
    assertThat(Failures.breaksClient(new CompletionException(new TimeoutException()))).isFalse();
    assertThat(Failures.breaksClient(new NotLeaderException(null, null, java.util.List.of())))
        .isFalse();
  }
}
