package io.hivemind.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hivemind.it.hostile.SlowClients.Outcome;
import io.hivemind.server.http.HttpApi;
import io.hivemind.server.http.HttpApiConfig;
import io.hivemind.server.http.HttpApiConfig.ConnectionLimits;
import io.hivemind.testkit.FixedAgent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The issue "Hostile and careless users", item 5, on a real port: a flood of slow connections (each
 * trickles a request head one byte at a time, which resets the idle timer) against an API with a
 * small cap and a short head deadline. Connections beyond the cap are refused with a 503 and
 * counted; the slow ones holding the cap are cut by the head deadline with a 408; then a
 * well-behaved client is served; and no exception escapes into the log.
 *
 * <p>Loopback only; bounded in count (cap + 50 connections) and time (about 3 s; at most 30).
 */
class HttpFloodIT {

  private static final int CAP = 32;
  private static final int BEYOND_THE_CAP = 50;
  private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration TRICKLE_EVERY = Duration.ofMillis(200);

  private final FixedAgent agent = new FixedAgent();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
  private HttpApi api;
  private SlowClients slow;

  @BeforeEach
  void start() throws IOException {
    log.start();
    root.addAppender(log);
    HttpApiConfig config =
        new HttpApiConfig(
                "127.0.0.1", 0, "1.2.3", Duration.ofSeconds(1), Duration.ofSeconds(1), 1024)
            .withLimits(new ConnectionLimits(CAP, HEAD_TIMEOUT, HEAD_TIMEOUT));
    api = HttpApi.start(config, agent);
  }

  @AfterEach
  void stop() throws InterruptedException {
    trickler.shutdownNow();
    trickler.awaitTermination(5, TimeUnit.SECONDS);
    if (slow != null) {
      slow.close();
    }
    api.close();
    root.detachAppender(log);
  }

  @Test
  void slowFlood_refusedBeyondTheCapAndCutAtTheHeadDeadline_thenAGoodRequestIsServed()
      throws Exception {
    long started = System.nanoTime();
    slow = SlowClients.open(new InetSocketAddress("127.0.0.1", api.port()), CAP + BEYOND_THE_CAP);
    trickler.scheduleAtFixedRate(slow::trickle, 0, TRICKLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);

    AtomicInteger attempts = new AtomicInteger();
    await("a well-behaved request answered 200")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> attempts.incrementAndGet() > 0 && get("/v1/agent/self").statusCode() == 200);
    Duration servedAfter = Duration.ofNanos(System.nanoTime() - started);
    await("the slow connections cut")
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.stats().headTimeouts() == CAP);
    trickler.shutdownNow();
    trickler.awaitTermination(5, TimeUnit.SECONDS);
    Map<Outcome, Integer> outcomes = slow.outcomes(500);
    System.out.printf(
        "HttpFloodIT: %d slow connections: %s; server %s; good request served after %d ms%n",
        slow.size(), outcomes, api.stats(), servedAfter.toMillis());

    // Every attempt of the good client before the slow ones were cut was refused too.
    assertThat(api.stats().connectionsRejected()).isEqualTo(BEYOND_THE_CAP + attempts.get() - 1);
    assertThat(api.stats().connectionsAccepted()).isEqualTo(CAP + 1);
    assertThat(api.stats().headTimeouts()).isEqualTo(CAP);
    assertThat(outcomes.get(Outcome.OPEN)).as("slow connections left open").isZero();
    // A refused client whose first byte reached the closed socket may see a reset, not the 503.
    assertThat(outcomes.get(Outcome.REFUSED) + outcomes.get(Outcome.CLOSED))
        .isEqualTo(BEYOND_THE_CAP);
    assertThat(outcomes.get(Outcome.REFUSED)).isPositive();
    assertThat(outcomes.get(Outcome.TIMED_OUT)).isEqualTo(CAP);
    assertThat(servedAfter).isLessThan(HEAD_TIMEOUT.multipliedBy(10));
    assertThat(stackTraces()).as("exceptions that reached the log").isEmpty();
  }

  @Test
  void slowFlood_aConnectionAtTheCapIsFreedForTheNextClient() throws Exception {
    slow = SlowClients.open(new InetSocketAddress("127.0.0.1", api.port()), CAP);
    await().atMost(Duration.ofSeconds(5)).until(() -> api.stats().connectionsOpen() == CAP);

    HttpResponse<String> refused = get("/v1/agent/self");

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(refused.body()).contains("\"error\":\"too_many_connections\"");
    slow.close();
    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions()
        .until(() -> get("/v1/agent/self").statusCode() == 200);
    assertThat(stackTraces()).isEmpty();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(api.uri().resolve(path)).timeout(Duration.ofSeconds(2)).build();
    return http.send(request, BodyHandlers.ofString());
  }

  /** Log lines with a stack trace, or from Netty at WARN and above (its unhandled exceptions). */
  private List<String> stackTraces() {
    return log.list.stream()
        .filter(
            event ->
                event.getThrowableProxy() != null
                    || (event.getLoggerName().startsWith("io.netty")
                        && event.getLevel().isGreaterOrEqual(Level.WARN)))
        .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage())
        .toList();
  }
}
