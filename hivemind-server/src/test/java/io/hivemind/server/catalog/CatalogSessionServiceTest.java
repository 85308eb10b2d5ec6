package io.hivemind.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.core.catalog.SessionCredentials;
import io.hivemind.core.catalog.SessionMessage;
import io.hivemind.core.catalog.SessionRefusal;
import io.hivemind.core.catalog.SessionResultCode;
import io.hivemind.core.catalog.Weights;
import io.hivemind.server.loop.ManualLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The session service on a manual loop and clock, with an in-memory catalogue. */
class CatalogSessionServiceTest {

  private final ManualLoop loop = new ManualLoop();
  private final FakeCatalogue catalogue = new FakeCatalogue();
  private final CatalogSessionService service =
      new CatalogSessionService(
          loop,
          catalogue,
          Environment.TESTING,
          "c1",
          "node-a",
          new LoopClock(loop),
          new Random(3),
          new CatalogSessionConfig(Duration.ofSeconds(5), Duration.ofSeconds(1), 10));

  @Test
  void hello_ofOtherEnvironment_refusedWithSentence_andCounted() {
    Conn conn = new Conn();
    service.received(conn, hello("production", SessionCredentials.NONE));
    loop.runPending();
    SessionMessage.Refused refused = (SessionMessage.Refused) conn.sent.get(0);
    assertThat(refused.code()).isEqualTo(SessionRefusal.WRONG_ENVIRONMENT);
    assertThat(refused.sentence()).contains("serves environment testing").contains("production");
    assertThat(conn.closed).isTrue();
    assertThat(service.stats().refused(SessionRefusal.WRONG_ENVIRONMENT)).isEqualTo(1);
  }

  @Test
  void firstFrameNotHello_refusedMalformed() {
    Conn conn = new Conn();
    service.received(conn, new SessionMessage.Ping(1));
    loop.runPending();
    assertThat(((SessionMessage.Refused) conn.sent.get(0)).code())
        .isEqualTo(SessionRefusal.MALFORMED);
  }

  @Test
  void register_thenDisconnect_instancesGoOnlyAfterGrace() {
    Conn conn = new Conn();
    SessionMessage.Welcome welcome = open(conn);
    service.received(conn, new SessionMessage.Register(1, registration("web-1")));
    loop.runPending();
    assertThat(conn.sent).contains(SessionMessage.Result.ok(1));
    assertThat(catalogue.instances.get("web-1").session()).isEqualTo(welcome.credentials().id());
    service.closed(conn);
    loop.runPending();
    loop.advance(4_999);
    assertThat(catalogue.instances).containsKey("web-1");
    loop.advance(1);
    assertThat(catalogue.instances).isEmpty();
    assertThat(service.stats().expired()).isEqualTo(1);
  }

  @Test
  void resumeWithinGrace_keepsInstances() {
    Conn first = new Conn();
    SessionMessage.Welcome welcome = open(first);
    service.received(first, new SessionMessage.Register(1, registration("web-1")));
    service.closed(first);
    loop.runPending();
    loop.advance(3_000);
    Conn second = new Conn();
    service.received(second, hello("testing", welcome.credentials()));
    loop.runPending();
    assertThat(((SessionMessage.Welcome) second.sent.get(0)).resumed()).isTrue();
    loop.advance(60_000);
    assertThat(catalogue.instances).containsKey("web-1");
  }

  @Test
  void resume_closesTheOlderConnection() {
    Conn first = new Conn();
    SessionMessage.Welcome welcome = open(first);
    Conn second = new Conn();
    service.received(second, hello("testing", welcome.credentials()));
    loop.runPending();
    assertThat(first.closed).isTrue();
    service.closed(first); // its late close must not start the grace
    loop.runPending();
    service.received(second, new SessionMessage.Register(1, registration("web-1")));
    loop.runPending();
    loop.advance(60_000);
    assertThat(catalogue.instances).containsKey("web-1");
  }

  @Test
  void otherSessionsInstance_cannotBeTakenOrRemoved() {
    Conn a = new Conn();
    open(a);
    service.received(a, new SessionMessage.Register(1, registration("web-1")));
    Conn b = new Conn();
    open(b);
    service.received(b, new SessionMessage.Register(2, registration("web-1")));
    service.received(b, new SessionMessage.Deregister(3, "web-1"));
    service.received(b, new SessionMessage.CheckUpdate(4, "ttl-web-1", HealthStatus.PASSING, ""));
    loop.runPending();
    assertThat(b.results())
        .containsExactly(
            SessionResultCode.INVALID, SessionResultCode.NOT_FOUND, SessionResultCode.NOT_FOUND);
    assertThat(catalogue.instances).containsKey("web-1");
  }

  @Test
  void ping_answeredWithPong_andCheckUpdateReachesCatalogue() {
    Conn conn = new Conn();
    open(conn);
    service.received(conn, new SessionMessage.Register(1, registration("web-1")));
    service.received(conn, new SessionMessage.Ping(77));
    service.received(
        conn, new SessionMessage.CheckUpdate(2, "ttl-web-1", HealthStatus.PASSING, "ok"));
    loop.runPending();
    assertThat(conn.sent).contains(new SessionMessage.Pong(77), SessionMessage.Result.ok(2));
    assertThat(catalogue.checkUpdates).containsExactly("ttl-web-1=PASSING");
  }

  @Test
  void otherVersion_refusedAsBadVersion() {
    Conn conn = new Conn();
    service.malformed(conn, true, "session protocol version 9 is not supported");
    loop.runPending();
    assertThat(((SessionMessage.Refused) conn.sent.get(0)).code())
        .isEqualTo(SessionRefusal.BAD_VERSION);
  }

  private SessionMessage.Welcome open(Conn conn) {
    service.received(conn, hello("testing", SessionCredentials.NONE));
    loop.runPending();
    return (SessionMessage.Welcome) conn.sent.get(0);
  }

  private static SessionMessage.Hello hello(String environment, SessionCredentials resume) {
    return new SessionMessage.Hello(environment, "", "test", resume);
  }

  static ServiceRegistration registration(String id) {
    CheckDefinition ttl =
        new CheckDefinition(
            "ttl-" + id,
            "alive",
            id,
            io.hivemind.core.catalog.CheckKind.TTL,
            Duration.ofSeconds(10),
            Duration.ZERO,
            Duration.ZERO,
            "",
            "GET",
            Map.of(),
            false,
            Duration.ZERO,
            HealthStatus.CRITICAL);
    return new ServiceRegistration(
        "web", id, "127.0.0.1", 8080, List.of(), Map.of(), Weights.DEFAULT, List.of(ttl));
  }

  /** A connection that records what the service sent. */
  private static final class Conn implements SessionConnection {
    final List<SessionMessage> sent = new ArrayList<>();
    boolean closed;

    @Override
    public void send(SessionMessage message) {
      sent.add(message);
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public String remote() {
      return "test";
    }

    List<SessionResultCode> results() {
      return sent.stream()
          .filter(SessionMessage.Result.class::isInstance)
          .map(m -> ((SessionMessage.Result) m).code())
          .toList();
    }
  }

  /** The loop's manual time as a clock. */
  private static final class LoopClock extends Clock {
    private final ManualLoop loop;

    LoopClock(ManualLoop loop) {
      this.loop = loop;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(loop.nowMillis());
    }
  }

  /** Instances by id, written at once; the default {@link Catalogue#endSession}. */
  static final class FakeCatalogue implements Catalogue {
    final Map<String, ServiceInstance> instances = new LinkedHashMap<>();
    final List<String> checkUpdates = new ArrayList<>();

    @Override
    public CatalogView view() {
      return CatalogView.EMPTY;
    }

    @Override
    public CompletableFuture<CatalogView> awaitIndexAbove(long index, Duration wait) {
      return CompletableFuture.completedFuture(CatalogView.EMPTY);
    }

    @Override
    public CompletableFuture<ServiceInstance> register(ServiceRegistration r, String session) {
      ServiceInstance instance =
          new ServiceInstance(
              r.service(),
              r.id(),
              r.address(),
              r.port(),
              r.tags(),
              r.meta(),
              r.weights(),
              Environment.TESTING,
              "node-a-id",
              session,
              r.checks().stream().map(CheckDefinition::initialResult).toList());
      instances.put(r.id(), instance);
      return CompletableFuture.completedFuture(instance);
    }

    @Override
    public CompletableFuture<Boolean> deregister(String serviceId) {
      return CompletableFuture.completedFuture(instances.remove(serviceId) != null);
    }

    @Override
    public CompletableFuture<Boolean> updateCheck(
        String checkId, HealthStatus status, String output) {
      checkUpdates.add(checkId + "=" + status);
      return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Boolean> registerCheck(CheckDefinition check) {
      // Sessions never add checks on their own; only a registration carries them.
      return CompletableFuture.completedFuture(instances.containsKey(check.serviceId()));
    }

    @Override
    public CompletableFuture<Boolean> deregisterCheck(String checkId) {
      return CompletableFuture.completedFuture(false);
    }

    @Override
    public List<ServiceInstance> localInstances() {
      return List.copyOf(instances.values());
    }
  }
}
