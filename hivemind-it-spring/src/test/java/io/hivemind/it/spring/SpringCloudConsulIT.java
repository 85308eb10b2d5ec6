package io.hivemind.it.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Spring Boot 3 app with Spring Cloud Consul discovery against a Hivemind agent (issue 11):
 * it registers itself (a JSON body sent as {@code text/plain}, Go duration strings, an empty {@code
 * Header}, {@code ?token=}), the agent probes its {@code /actuator/health} until it passes,
 * Spring's {@link DiscoveryClient} finds it through {@code /v1/catalog/services} and {@code
 * /v1/health/service/NAME?passing=...}, its Consul health indicator ({@code /v1/status/leader}) is
 * UP, and it deregisters when it closes. And Spring Cloud Consul Config (issue 10's KV): an app
 * importing {@code consul:} reads its properties from {@code config/<app>/} and {@code
 * config/application/} at start, and its config watch (blocking recursive KV reads) refreshes the
 * environment when a key changes. The agent is a separate process started by the repository's
 * launcher, so Spring's class path and the agent's never meet.
 */
class SpringCloudConsulIT {

  private static final String APP = "spring-demo";
  private static final String CONFIG_APP = "config-demo";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir static Path root;
  private static LaunchedAgent agent;
  private static URI agentUri;

  /** The smallest app: web, actuator and Consul discovery, all auto-configured. */
  @SpringBootApplication
  static class DemoApp {}

  @BeforeAll
  static void startAgent() throws Exception {
    agent = LaunchedAgent.start(root, "spring-it");
    agentUri = agent.uri();
  }

  @AfterAll
  static void stopAgent() throws InterruptedException {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void springApp_registersIsProbedDiscoveredAndHealthy_deregistersOnClose() throws Exception {
    int appPort = FreePorts.tcpAndUdp();
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(DemoApp.class)
            .properties(
                "server.address=127.0.0.1",
                "server.port=" + appPort,
                "spring.application.name=" + APP,
                "spring.cloud.consul.host=127.0.0.1",
                "spring.cloud.consul.port=" + agentUri.getPort(),
                "spring.cloud.consul.discovery.prefer-ip-address=true",
                "spring.cloud.consul.discovery.ip-address=127.0.0.1",
                "spring.cloud.consul.discovery.health-check-interval=1s",
                "spring.cloud.consul.discovery.acl-token=spring-token",
                // Config is the other test's: this app reads no configuration from KV.
                "spring.cloud.consul.config.enabled=false",
                "management.endpoint.health.show-details=always")
            .run();
    try {
      JsonNode registered = get("/v1/agent/services");
      JsonNode service = serviceNamed(registered, APP);
      assertThat(service).as(registered.toString()).isNotNull();
      assertThat(service.get("Port").asInt()).isEqualTo(appPort);
      assertThat(service.get("Address").asText()).isEqualTo("127.0.0.1");

      JsonNode check = get("/v1/health/checks/" + APP).get(0);
      assertThat(check.get("Type").asText()).as(check.toString()).isEqualTo("http");
      assertThat(check.get("ServiceID").asText()).isEqualTo(service.get("ID").asText());
      await("the agent's HTTP check on /actuator/health passes")
          .atMost(Duration.ofSeconds(30))
          .until(() -> get("/v1/health/service/" + APP + "?passing").size() == 1);
      DiscoveryClient discovery = app.getBean(DiscoveryClient.class);
      await("Spring's DiscoveryClient sees the app")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(discovery.getServices()).contains(APP);
                assertThat(discovery.getInstances(APP))
                    .singleElement()
                    .satisfies(instance -> assertThat(instance.getPort()).isEqualTo(appPort));
              });
      JsonNode health = json(fetch(URI.create("http://127.0.0.1:" + appPort + "/actuator/health")));
      assertThat(health.path("components").path("consul").path("status").asText())
          .as(health.toString())
          .isEqualTo("UP");
    } finally {
      app.close();
    }

    assertThat(serviceNamed(get("/v1/agent/services"), APP)).isNull();
    assertThat(get("/v1/catalog/services").has(APP)).isFalse();
  }

  @Test
  void springConfig_readsKvAtStart_thenRefreshesWhenAKeyChanges() throws Exception {
    put("/v1/kv/config/" + CONFIG_APP + "/greeting", "hello");
    put("/v1/kv/config/application/shared.value", "for every app");
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(DemoApp.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.application.name=" + CONFIG_APP,
                "spring.config.import=consul:127.0.0.1:" + agentUri.getPort(),
                "spring.cloud.consul.discovery.enabled=false",
                "spring.cloud.consul.service-registry.enabled=false",
                // Its watch blocks on the app's KV prefixes; a short wait makes a missed wake-up
                // show as a slow test rather than hide behind a 55 s default.
                "spring.cloud.consul.config.watch.wait-time=2",
                "spring.cloud.consul.config.watch.delay=200")
            .run();
    try {
      assertThat(app.getEnvironment().getProperty("greeting")).isEqualTo("hello");
      assertThat(app.getEnvironment().getProperty("shared.value")).isEqualTo("for every app");

      put("/v1/kv/config/" + CONFIG_APP + "/greeting", "bonjour");

      await("Spring's config watch refreshes the environment from KV")
          .atMost(Duration.ofSeconds(30))
          .until(() -> "bonjour".equals(app.getEnvironment().getProperty("greeting")));
    } finally {
      app.close();
    }
  }

  private static void put(String path, String value) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(agentUri.resolve(path))
                .PUT(HttpRequest.BodyPublishers.ofString(value))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("true");
  }

  private static JsonNode serviceNamed(JsonNode services, String name) {
    for (JsonNode service : services) {
      if (service.path("Service").asText().equals(name)) {
        return service;
      }
    }
    return null;
  }

  private static JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = fetch(agentUri.resolve(path));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> fetch(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
