package io.hivemind.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.Environment;
import io.hivemind.core.acl.AclAccess;
import io.hivemind.core.acl.AclPolicy;
import io.hivemind.core.acl.AclResource;
import io.hivemind.core.acl.AclRule;
import io.hivemind.core.acl.AclSecrets;
import io.hivemind.core.acl.AclToken;
import io.hivemind.core.acl.AclTokens;
import io.hivemind.core.catalog.SessionCredentials;
import io.hivemind.core.catalog.SessionMessage;
import io.hivemind.core.catalog.SessionRefusal;
import io.hivemind.core.catalog.SessionResultCode;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.ExternalCatalog;
import io.hivemind.server.acl.AclTokenResolver;
import io.hivemind.server.loop.ManualLoop;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * ACLs on the session port (docs/acl.md): a hello's unknown token is refused, every register needs
 * service:write on its service through the same resolution as the HTTP API, a deleted token stops
 * working on an open session, and with ACLs off nothing changes. Manual loop, no socket.
 */
class CatalogSessionAclTest {

  private static final String ROOT = "root-secret-0123456789";
  private static final String WEB = "web-secret-0123456789";
  private static final AclToken WEB_TOKEN =
      new AclToken(
          "0b6f6a5e-2f1d-4c2a-9a51-000000000002",
          AclSecrets.sha256(WEB),
          "web writer",
          false,
          List.of(new AclRule(AclResource.SERVICE, "web", AclAccess.WRITE)),
          2,
          2);

  private final ManualLoop loop = new ManualLoop();
  private final CatalogSessionServiceTest.FakeCatalogue catalogue =
      new CatalogSessionServiceTest.FakeCatalogue();
  private final AtomicReference<ControlView> view =
      new AtomicReference<>(view(AclTokens.of(List.of(WEB_TOKEN))));

  private static ControlView view(AclTokens tokens) {
    return new ControlView(
        1,
        1,
        "c",
        "testing",
        List.of(),
        new TreeMap<>(),
        List.of(),
        1,
        ExternalCatalog.EMPTY,
        tokens,
        Optional.empty());
  }

  private CatalogSessionService service(AclTokenResolver acl) {
    return new CatalogSessionService(
        loop,
        catalogue,
        Environment.TESTING,
        "c1",
        "node-a",
        Clock.systemUTC(),
        new Random(3),
        new CatalogSessionConfig(Duration.ofSeconds(5), Duration.ofSeconds(1), 10),
        acl);
  }

  private CatalogSessionService enforcing() {
    return service(new AclTokenResolver(true, AclPolicy.DENY, ROOT, view::get));
  }

  @Test
  void unknownToken_helloRefusedAclDenied_withoutTheToken() {
    CatalogSessionService service = enforcing();
    Conn conn = new Conn();
    service.received(conn, hello("not-a-token-secret"));
    loop.runPending();
    SessionMessage.Refused refused = (SessionMessage.Refused) conn.sent.get(0);
    assertThat(refused.code()).isEqualTo(SessionRefusal.ACL_DENIED);
    assertThat(refused.sentence()).contains("not known").doesNotContain("not-a-token-secret");
    assertThat(conn.closed).isTrue();
    assertThat(service.stats().refused(SessionRefusal.ACL_DENIED)).isEqualTo(1);
  }

  @Test
  void noToken_welcomed_butRegisterDeniedNamingThePermission() {
    CatalogSessionService service = enforcing();
    Conn conn = open(service, "");
    service.received(conn, new SessionMessage.Register(1, registration("web", "web-1")));
    loop.runPending();
    SessionMessage.Result result = conn.result(1);
    assertThat(result.code()).isEqualTo(SessionResultCode.DENIED);
    assertThat(result.sentence())
        .contains("service \"web\" write")
        .contains("presented no token")
        .contains("deny");
    assertThat(catalogue.instances).isEmpty();
    assertThat(service.stats().denied()).isEqualTo(1);
  }

  @Test
  void scopedToken_registersItsServiceOnly() {
    CatalogSessionService service = enforcing();
    Conn conn = open(service, WEB);
    service.received(conn, new SessionMessage.Register(1, registration("web", "web-1")));
    service.received(conn, new SessionMessage.Register(2, registration("db", "db-1")));
    loop.runPending();
    assertThat(conn.result(1).code()).isEqualTo(SessionResultCode.OK);
    SessionMessage.Result denied = conn.result(2);
    assertThat(denied.code()).isEqualTo(SessionResultCode.DENIED);
    assertThat(denied.sentence())
        .contains("service \"db\" write")
        .contains("does not grant")
        .doesNotContain(WEB);
    assertThat(catalogue.instances).containsOnlyKeys("web-1");
  }

  @Test
  void managementToken_registersAnything() {
    CatalogSessionService service = enforcing();
    Conn conn = open(service, ROOT);
    service.received(conn, new SessionMessage.Register(1, registration("db", "db-1")));
    loop.runPending();
    assertThat(conn.result(1).code()).isEqualTo(SessionResultCode.OK);
    assertThat(catalogue.instances).containsOnlyKeys("db-1");
  }

  @Test
  void deletedToken_stopsWorkingOnTheOpenSession() {
    CatalogSessionService service = enforcing();
    Conn conn = open(service, WEB);
    view.set(view(AclTokens.of(List.of())));
    service.received(conn, new SessionMessage.Register(1, registration("web", "web-1")));
    loop.runPending();
    SessionMessage.Result result = conn.result(1);
    assertThat(result.code()).isEqualTo(SessionResultCode.DENIED);
    assertThat(result.sentence()).contains("service \"web\" write").contains("no longer known");
    assertThat(catalogue.instances).isEmpty();
  }

  @Test
  void deregisterAndCheckUpdates_stayWithinTheSession_whateverTheToken() {
    CatalogSessionService service = enforcing();
    Conn owner = open(service, ROOT);
    service.received(owner, new SessionMessage.Register(1, registration("web", "web-1")));
    Conn other = open(service, ROOT);
    service.received(other, new SessionMessage.Deregister(2, "web-1"));
    loop.runPending();
    assertThat(other.result(2).code()).isEqualTo(SessionResultCode.NOT_FOUND);
    assertThat(catalogue.instances).containsOnlyKeys("web-1");
  }

  @Test
  void aclsOff_tokensIgnored_andRegistersAllowed() {
    CatalogSessionService service = service(AclTokenResolver.disabled());
    Conn conn = open(service, "whatever-secret");
    service.received(conn, new SessionMessage.Register(1, registration("db", "db-1")));
    loop.runPending();
    assertThat(conn.result(1).code()).isEqualTo(SessionResultCode.OK);
    assertThat(service.stats().denied()).isZero();
  }

  private Conn open(CatalogSessionService service, String token) {
    Conn conn = new Conn();
    service.received(conn, hello(token));
    loop.runPending();
    assertThat(conn.sent.get(0)).isInstanceOf(SessionMessage.Welcome.class);
    return conn;
  }

  private static SessionMessage.Hello hello(String token) {
    return new SessionMessage.Hello("testing", "", "test", SessionCredentials.NONE, token);
  }

  private static io.hivemind.core.catalog.ServiceRegistration registration(
      String service, String id) {
    io.hivemind.core.catalog.ServiceRegistration web = CatalogSessionServiceTest.registration(id);
    return new io.hivemind.core.catalog.ServiceRegistration(
        service,
        id,
        web.address(),
        web.port(),
        web.tags(),
        web.meta(),
        web.weights(),
        web.checks());
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

    SessionMessage.Result result(long request) {
      return sent.stream()
          .filter(SessionMessage.Result.class::isInstance)
          .map(SessionMessage.Result.class::cast)
          .filter(r -> r.request() == request)
          .findFirst()
          .orElseThrow();
    }
  }
}
