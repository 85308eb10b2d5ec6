package io.hivemind.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.server.loop.ManualLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** {@link AgentCatalogue#endSession}: a session's instances go in one delta, others stay. */
class AgentCatalogueEndSessionTest {

  private final ManualLoop loop = new ManualLoop();
  private final RegistryPlane plane = new RegistryPlane();
  private final List<CatalogDelta> sent = new ArrayList<>();
  private final AgentCatalogue catalogue =
      new AgentCatalogue(
          loop,
          plane,
          () -> "owner-a",
          Environment.TESTING,
          Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC),
          check -> new CompletableFuture<>());

  private <T> T done(CompletableFuture<T> future) {
    loop.runPending();
    assertThat(future).isDone();
    return future.join();
  }

  private List<String> viewedIds() {
    return catalogue.view().instances("web").stream()
        .map(CatalogEntry::instance)
        .map(ServiceInstance::id)
        .toList();
  }

  @Test
  void endSession_removesOnlyThatSessionsInstances_andTheirChecks_inOneDelta() {
    catalogue.start();
    catalogue.onOwnDelta(sent::add);
    plane.members("owner-a");
    loop.runPending();
    done(
        catalogue.register(
            AgentCatalogueTest.web(
                "web-1",
                AgentCatalogueTest.ttl("ttl-1", "web-1", Duration.ofMinutes(1), Duration.ZERO)),
            "s1"));
    done(catalogue.register(AgentCatalogueTest.web("web-2"), "s1"));
    done(catalogue.register(AgentCatalogueTest.web("web-3"), "s2"));
    done(catalogue.register(AgentCatalogueTest.web("web-4"), ServiceInstance.AGENT_SESSION));
    int before = sent.size();

    assertThat(done(catalogue.endSession("s1"))).isEqualTo(2);

    assertThat(viewedIds()).containsExactly("web-3", "web-4");
    assertThat(sent).hasSize(before + 1);
    assertThat(sent.get(before).removedIds()).containsExactlyInAnyOrder("web-1", "web-2");
    assertThat(
            done(catalogue.updateCheck("ttl-1", io.hivemind.core.catalog.HealthStatus.PASSING, "")))
        .isFalse();
    assertThat(done(catalogue.endSession("s1"))).isZero();
  }

  @Test
  void endSession_ofTheAgentsOwnSession_refused() {
    assertThatThrownBy(() -> catalogue.endSession(ServiceInstance.AGENT_SESSION).get())
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("ends only with the agent");
  }
}
