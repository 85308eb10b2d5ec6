package io.hivemind.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.CheckKind;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.HealthChecks;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.core.catalog.Weights;
import io.hivemind.server.agent.Agent;
import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.catalog.Catalogue;
import io.hivemind.server.tls.CertificateAuthority;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dev agent (the only voter of its control plane) and its catalogue on real sockets: instances
 * registered through {@link Agent#catalogue()} enter its view once it is admitted, TTL checks
 * expire, HTTP and TCP checks probe a local server, critical instances are deregistered after their
 * time, and blocking queries wake on a change.
 */
class AgentCatalogueIT {

  /** A single voter elects itself and admits itself; slower on a busy 2-core machine. */
  private static final Duration FORMING = Duration.ofSeconds(40);

  private static final Duration CHECKS = Duration.ofSeconds(15);

  @TempDir static Path root;
  private static Agent agent;
  private static Catalogue catalogue;
  private static HttpServer server;
  private static final AtomicInteger answerCode = new AtomicInteger(200);

  @BeforeAll
  static void startAgentAndServer() throws IOException {
    AgentSettings settings = CatalogAgentSettings.devVoter("it-catalog", root);
    agent = Agent.start(AgentConfig.resolve(settings, "dev", root), "it");
    catalogue = agent.catalogue();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/health",
        exchange -> {
          byte[] body = ("status " + answerCode.get()).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answerCode.get(), body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    // Admitted once the instance it registers shows in its own view.
    register(registration("probe-0"));
    await().atMost(FORMING).until(() -> instance("probe-0").isPresent());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
    if (agent != null) {
      agent.close();
    }
  }

  private static ServiceRegistration registration(String id, CheckDefinition... checks) {
    return new ServiceRegistration(
        "web", id, "127.0.0.1", 8080, List.of("it"), Map.of(), Weights.DEFAULT, List.of(checks));
  }

  private static ServiceInstance register(ServiceRegistration registration) {
    return catalogue
        .register(registration, ServiceInstance.AGENT_SESSION)
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
  }

  private static Optional<ServiceInstance> instance(String id) {
    for (CatalogEntry entry : catalogue.view().instances("web")) {
      if (entry.instance().id().equals(id)) {
        return Optional.of(entry.instance());
      }
    }
    return Optional.empty();
  }

  private static Optional<CheckStatus> check(String serviceId, String checkId) {
    return instance(serviceId)
        .flatMap(i -> i.checks().stream().filter(c -> c.checkId().equals(checkId)).findFirst());
  }

  private static CheckDefinition definition(
      String checkId,
      String serviceId,
      CheckKind kind,
      Duration ttl,
      String target,
      Duration deregisterAfter) {
    boolean probed = kind != CheckKind.TTL;
    return new CheckDefinition(
        checkId,
        checkId,
        serviceId,
        kind,
        probed ? Duration.ZERO : ttl,
        probed ? Duration.ofSeconds(1) : Duration.ZERO,
        probed ? Duration.ofSeconds(2) : Duration.ZERO,
        target,
        "GET",
        Map.of(),
        false,
        deregisterAfter,
        HealthStatus.CRITICAL);
  }

  @Test
  void register_entersTheAgentsView_withItsOwnerAndEnvironment() {
    ServiceInstance registered = register(registration("web-1"));

    assertThat(instance("web-1")).contains(registered);
    assertThat(registered.owner()).isEqualTo(agent.admission().orElseThrow().memberId());
    assertThat(catalogue.localInstances()).contains(registered);
  }

  @Test
  void ttlCheck_reportedThenSilent_passesThenExpiresCritical() {
    register(
        registration(
            "web-ttl",
            definition(
                "ttl-1", "web-ttl", CheckKind.TTL, Duration.ofSeconds(2), "", Duration.ZERO)));
    assertThat(catalogue.updateCheck("ttl-1", HealthStatus.PASSING, "ok").join()).isTrue();
    assertThat(check("web-ttl", "ttl-1").orElseThrow().status()).isEqualTo(HealthStatus.PASSING);

    await()
        .atMost(CHECKS)
        .untilAsserted(
            () -> {
              CheckStatus status = check("web-ttl", "ttl-1").orElseThrow();
              assertThat(status.status()).isEqualTo(HealthStatus.CRITICAL);
              assertThat(status.output()).isEqualTo(HealthChecks.TTL_EXPIRED);
            });
  }

  @Test
  void httpCheck_againstALocalServer_passesThenWarnsThenFails() {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
    answerCode.set(200);
    register(
        registration(
            "web-http",
            definition("http-1", "web-http", CheckKind.HTTP, Duration.ZERO, url, Duration.ZERO)));

    await()
        .atMost(CHECKS)
        .untilAsserted(
            () ->
                assertThat(check("web-http", "http-1").orElseThrow().status())
                    .isEqualTo(HealthStatus.PASSING));
    assertThat(check("web-http", "http-1").orElseThrow().output())
        .contains("200")
        .contains("status 200");
    answerCode.set(429);
    await()
        .atMost(CHECKS)
        .untilAsserted(
            () ->
                assertThat(check("web-http", "http-1").orElseThrow().status())
                    .isEqualTo(HealthStatus.WARNING));
    answerCode.set(500);
    await()
        .atMost(CHECKS)
        .untilAsserted(
            () ->
                assertThat(check("web-http", "http-1").orElseThrow().status())
                    .isEqualTo(HealthStatus.CRITICAL));
  }

  @Test
  void httpsCheck_skippingVerificationPasses_verifyingAnUntrustedCertificateIsCritical()
      throws Exception {
    HttpsServer https = selfSignedHttpsServer();
    try {
      String url = "https://127.0.0.1:" + https.getAddress().getPort() + "/health";
      register(registration("web-https", httpsCheck("https-skip", "web-https", url, true)));
      register(
          registration(
              "web-https-strict", httpsCheck("https-strict", "web-https-strict", url, false)));

      await()
          .atMost(CHECKS)
          .untilAsserted(
              () -> {
                assertThat(check("web-https", "https-skip").orElseThrow().status())
                    .isEqualTo(HealthStatus.PASSING);
                CheckStatus strict = check("web-https-strict", "https-strict").orElseThrow();
                assertThat(strict.status()).isEqualTo(HealthStatus.CRITICAL);
              });
      // Both start at warning (httpsCheck), so each status above is a probe's verdict.
      assertThat(check("web-https-strict", "https-strict").orElseThrow().output()).contains(url);
    } finally {
      https.stop(0);
    }
  }

  private static CheckDefinition httpsCheck(
      String checkId, String serviceId, String url, boolean skipVerify) {
    return new CheckDefinition(
        checkId,
        checkId,
        serviceId,
        CheckKind.HTTP,
        Duration.ZERO,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        url,
        "GET",
        Map.of(),
        skipVerify,
        Duration.ZERO,
        HealthStatus.WARNING);
  }

  /** An HTTPS server on loopback whose certificate no one trusts (a fresh self-signed CA's). */
  private static HttpsServer selfSignedHttpsServer() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.create("it-https", Duration.ofDays(1), java.time.Instant.now());
    char[] password = "it".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", ca.privateKey(), password, new Certificate[] {ca.certificate()});
    KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
    factory.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(context));
    https.createContext(
        "/health",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    https.start();
    return https;
  }

  @Test
  void tcpCheck_openPortPasses_closedPortIsCritical() {
    String open = "127.0.0.1:" + server.getAddress().getPort();
    String closed = "127.0.0.1:" + FreePorts.tcpAndUdp();
    register(
        registration(
            "web-tcp",
            definition("tcp-open", "web-tcp", CheckKind.TCP, Duration.ZERO, open, Duration.ZERO)));
    register(
        registration(
            "web-tcp-closed",
            definition(
                "tcp-closed",
                "web-tcp-closed",
                CheckKind.TCP,
                Duration.ZERO,
                closed,
                Duration.ZERO)));

    await()
        .atMost(CHECKS)
        .untilAsserted(
            () -> {
              assertThat(check("web-tcp", "tcp-open").orElseThrow().status())
                  .isEqualTo(HealthStatus.PASSING);
              CheckStatus refused = check("web-tcp-closed", "tcp-closed").orElseThrow();
              assertThat(refused.status()).isEqualTo(HealthStatus.CRITICAL);
            });
  }

  @Test
  void deregisterCriticalAfter_removesTheInstanceFromTheView() {
    register(
        registration(
            "web-doomed",
            definition(
                "ttl-doomed",
                "web-doomed",
                CheckKind.TTL,
                Duration.ofMinutes(1),
                "",
                Duration.ofSeconds(2))));
    assertThat(instance("web-doomed")).isPresent();

    await().atMost(CHECKS).until(() -> instance("web-doomed").isEmpty());
    assertThat(catalogue.localInstances()).noneMatch(i -> i.id().equals("web-doomed"));
  }

  @Test
  void metrics_exportTheCatalogueFigures() throws Exception {
    register(registration("web-metrics"));
    HttpResponse<String> scrape =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        agent.httpUri().resolve("/v1/agent/metrics?format=prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(scrape.body())
        .contains("hivemind_catalog_instances ")
        .contains("hivemind_catalog_own_instances ")
        .contains("hivemind_catalog_owners 1.0")
        .contains("hivemind_catalog_checks{status=\"critical\"}")
        .contains("hivemind_catalog_deltas_drained_total ");
  }

  @Test
  void blockingQuery_wakesOnARegistration_andTimesOutWithoutOne() {
    long index = catalogue.view().index();
    CompletableFuture<CatalogView> quiet =
        catalogue.awaitIndexAbove(Long.MAX_VALUE - 1, Duration.ofMillis(300));
    assertThat(quiet.orTimeout(10, TimeUnit.SECONDS).join().index()).isLessThan(Long.MAX_VALUE - 1);

    CompletableFuture<CatalogView> waiting =
        catalogue.awaitIndexAbove(index, Duration.ofMinutes(5));
    register(registration("web-wake"));

    CatalogView woken = waiting.orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(woken.index()).isGreaterThan(index);
  }
}
