package io.hivemind.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.membership.Address;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.http.AgentOperations;
import io.hivemind.server.http.AgentOperations.OperationRefusedException;
import io.hivemind.server.http.NoControlPlane;
import io.hivemind.server.loop.ManualLoop;
import io.hivemind.server.membership.JoinException;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.membership.VirtualNodes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP API gets from an agent's membership service, on a manual loop: a join asked through
 * the API is tried once, and what the agent refuses (it has left; the address is itself) carries
 * the status and code the API answers with.
 */
class MembershipAgentOperationsTest {

  private final VirtualNodes nodes = new VirtualNodes();
  private final ManualLoop loop = nodes.loop();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @AfterEach
  void closeAll() {
    nodes.close();
    registry.close();
  }

  @Test
  void control_withoutOne_theDegradedNoControlPlane() {
    AgentOperations agent = new MembershipAgentOperations(nodes.start("plain"), registry);

    assertThat(agent.control()).isSameAs(NoControlPlane.INSTANCE);
    assertThat(agent.control().status().degraded()).isTrue();
  }

  @Test
  void control_theOneItWasGiven() {
    // Any plane other than the default will do: a proxy that answers nothing.
    ControlPlane plane =
        (ControlPlane)
            Proxy.newProxyInstance(
                ControlPlane.class.getClassLoader(),
                new Class<?>[] {ControlPlane.class},
                (proxy, method, args) -> null);
    AgentOperations agent = new MembershipAgentOperations(nodes.start("voter"), registry, plane);

    assertThat(agent.control()).isSameAs(plane);
  }

  @Test
  void join_afterALeave_isRefused409AgentLeft() {
    MembershipService node = nodes.start("leaver");
    AgentOperations agent = new MembershipAgentOperations(node, registry);
    CompletableFuture<Void> left = agent.leave();
    loop.runPending();
    assertThat(left).isCompleted();

    CompletableFuture<Void> joined = agent.join(List.of(new Address("10.0.0.9", 7946)));

    OperationRefusedException refused = failure(joined, OperationRefusedException.class);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("agent_left");
    assertThat(refused)
        .hasMessage(
            "this agent (leaver) has left the cluster and is shutting down: an agent that left"
                + " does not join again, start a new one");
  }

  @Test
  void join_whileLeaving_isRefusedToo() {
    MembershipService node = nodes.start("leaver");
    AgentOperations agent = new MembershipAgentOperations(node, registry);

    agent.leave(); // not yet run on the loop: the node is LEAVING
    CompletableFuture<Void> joined = agent.join(List.of(new Address("10.0.0.9", 7946)));

    assertThat(failure(joined, OperationRefusedException.class).code()).isEqualTo("agent_left");
  }

  @Test
  void join_throughItsOwnAddress_isRefused400JoinSelf() {
    MembershipService node = nodes.start("narcissus");
    AgentOperations agent = new MembershipAgentOperations(node, registry);

    CompletableFuture<Void> joined = agent.join(List.of(node.advertisedAddress()));
    loop.runPending();

    OperationRefusedException refused = failure(joined, OperationRefusedException.class);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.code()).isEqualTo("join_self");
    assertThat(refused).hasMessageContaining("that is this agent (node narcissus) itself");
  }

  @Test
  void join_throughAPortNobodyListensOn_failsWithWhatHappened_andIsNotRetried() {
    MembershipService node = nodes.start("node");
    MembershipService gone = nodes.start("gone");
    Address nobody = gone.advertisedAddress();
    gone.close();
    AgentOperations agent = new MembershipAgentOperations(node, registry);

    CompletableFuture<Void> joined = agent.join(List.of(nobody));
    loop.advanceUntil(joined::isDone, 1_000);

    assertThat(failure(joined, JoinException.class)).hasMessageStartingWith("connection refused");
    loop.advance(600_000);
    assertThat(nodes.streamsOpenedTo(nobody)).isEqualTo(1);
  }

  @Test
  void cancellingTheAnswer_cancelsTheJoin() {
    MembershipService node = nodes.start("node");
    Address silent = nodes.silentAddress();
    AgentOperations agent = new MembershipAgentOperations(node, registry);
    CompletableFuture<Void> joined = agent.join(List.of(silent));
    loop.advance(1_000);

    joined.cancel(false); // what the API does when its own timeout passes
    loop.advance(600_000);

    assertThat(nodes.streamsOpenedTo(silent)).isEqualTo(1);
    assertThat(node.isJoined()).isFalse();
  }

  private static <T extends Throwable> T failure(CompletableFuture<Void> future, Class<T> type) {
    assertThat(future).isCompletedExceptionally();
    try {
      future.join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(type);
      return type.cast(e.getCause());
    }
    throw new AssertionError("did not fail");
  }
}
