package io.hivemind.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.Environment;
import io.hivemind.client.HivemindSession;
import io.hivemind.client.SessionRefusedException;
import io.hivemind.client.SessionRegistration;
import io.hivemind.client.TtlCheck;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.SessionRefusal;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.catalog.CatalogSessionService;
import io.hivemind.server.transport.CatalogSessionServer;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dev agent (the only voter of its control plane) and the Java client's session on real sockets
 * (issue 11): instances registered through the session enter the agent's view; a client that goes
 * away keeps them for the grace period and loses them after it; a client that comes back within the
 * grace resumes its session and keeps them; a client of another environment is refused with the
 * agent's sentence.
 */
class CatalogSessionIT {

  /** A single voter elects itself and admits itself; slower on a busy 2-core machine. */
  private static final Duration FORMING = Duration.ofSeconds(40);

  @TempDir static Path root;
  private static Agent agent;
  private static CatalogSessionService sessions;
  private static int sessionPort;
  private static CatalogSessionServer server;

  @BeforeAll
  static void startAgent() throws IOException {
    AgentSettings settings = CatalogAgentSettings.devVoter("it-sessions", root);
    agent = Agent.start(AgentConfig.resolve(settings, "dev", root), "it");
    sessions = agent.catalogueSessions();
    // Not the well-known port: other tests on this machine may hold it.
    sessionPort = FreePorts.tcpAndUdp();
    server = CatalogSessionServer.bind("127.0.0.1", sessionPort, sessions);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  private static HivemindSession open(Environment environment) {
    return HivemindSession.open(
        environment, "", "it-client", List.of(new InetSocketAddress("127.0.0.1", sessionPort)));
  }

  private static Optional<ServiceInstance> instance(String id) {
    for (CatalogEntry entry : agent.catalogue().view().instances("web")) {
      if (entry.instance().id().equals(id)) {
        return Optional.of(entry.instance());
      }
    }
    return Optional.empty();
  }

  private static void registerAndAwait(HivemindSession session, String id) {
    session
        .register(
            SessionRegistration.of("web", id, "127.0.0.1", 8080)
                .withCheck(TtlCheck.of("ttl-" + id, Duration.ofMinutes(1))))
        .orTimeout(FORMING.toSeconds(), TimeUnit.SECONDS)
        .join();
    await().atMost(FORMING).until(() -> instance(id).isPresent());
  }

  @Test
  void register_visibleInView_boundToSession_andTtlReported() {
    try (HivemindSession session = open(Environment.DEVELOPMENT)) {
      registerAndAwait(session, "web-reg");
      assertThat(instance("web-reg").get().session()).isEqualTo(session.sessionId());
      session.pass("ttl-web-reg", "fine").orTimeout(10, TimeUnit.SECONDS).join();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> instance("web-reg").get().checks().get(0).status() == HealthStatus.PASSING);
      session.deregister("web-reg").orTimeout(10, TimeUnit.SECONDS).join();
      await().atMost(Duration.ofSeconds(10)).until(() -> instance("web-reg").isEmpty());
    }
  }

  @Test
  void clientGone_instancesStayWithinGrace_thenGo() throws InterruptedException {
    HivemindSession session = open(Environment.DEVELOPMENT);
    registerAndAwait(session, "web-gone");
    long grace = sessions.config().grace().toMillis();
    session.close();
    long closedAt = System.nanoTime();
    // For half the grace it stays: the agent waits for a resume.
    await()
        .during(Duration.ofMillis(grace / 2))
        .atMost(Duration.ofMillis(grace / 2 + 1_000))
        .until(() -> instance("web-gone").isPresent());
    await().atMost(Duration.ofMillis(grace + 5_000)).until(() -> instance("web-gone").isEmpty());
    assertThat((System.nanoTime() - closedAt) / 1_000_000).isGreaterThanOrEqualTo(grace);
  }

  @Test
  void connectionDropped_clientResumesWithinGrace_instancesKept() throws InterruptedException {
    HivemindSession session = open(Environment.DEVELOPMENT);
    try {
      registerAndAwait(session, "web-resume");
      String id = session.sessionId();
      long resumedBefore = sessions.stats().resumed();
      // The agent's listener goes (closing every connection) and comes back on the same port.
      server.close();
      server = CatalogSessionServer.bind("127.0.0.1", sessionPort, sessions);
      await().atMost(Duration.ofSeconds(4)).until(() -> sessions.stats().resumed() > resumedBefore);
      assertThat(session.sessionId()).isEqualTo(id);
      long grace = sessions.config().grace().toMillis();
      // Past the whole grace it stays: the session was resumed, so it never expires.
      await()
          .during(Duration.ofMillis(grace + 1_000))
          .atMost(Duration.ofMillis(grace + 2_000))
          .until(() -> instance("web-resume").isPresent());
    } finally {
      session.close();
    }
  }

  @Test
  void otherEnvironment_refusedAtHandshake_withSentence_andCounted() {
    long before = sessions.stats().refused(SessionRefusal.WRONG_ENVIRONMENT);
    try (HivemindSession session = open(Environment.TESTING)) {
      assertThatThrownBy(() -> session.connected().orTimeout(10, TimeUnit.SECONDS).join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(SessionRefusedException.class)
          .hasMessageContaining("serves environment development")
          .hasMessageContaining("wrong_environment");
    }
    assertThat(sessions.stats().refused(SessionRefusal.WRONG_ENVIRONMENT)).isEqualTo(before + 1);
  }
}
