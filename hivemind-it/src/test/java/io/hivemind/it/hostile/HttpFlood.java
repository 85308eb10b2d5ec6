package io.hivemind.it.hostile;

import io.hivemind.it.hostile.SlowClients.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Not a test: the flood behind the figures in docs/adr/0002-http-server-netty.md ("Addendum"),
 * against an agent running on this host. It opens slow connections to the agent's HTTP port on
 * 127.0.0.1, trickles one byte a second on each, and once a second tries a well-behaved request,
 * printing what it got; at the end, what became of the slow connections.
 *
 * <pre>
 * ./mvnw -q -pl hivemind-it -am test-compile
 * java -cp hivemind-it/target/test-classes io.hivemind.it.hostile.HttpFlood PORT CONNECTIONS SECONDS [reopen]
 * </pre>
 *
 * <p>With {@code reopen}, every connection the agent closes is replaced at once, at most {@value
 * #MAX_REOPENED_PER_SECOND} a second (a flood that keeps up its pressure without using up the
 * host's ephemeral ports). Loopback only; at most {@value #MAX_CONNECTIONS} connections and {@value
 * #MAX_SECONDS} s.
 */
final class HttpFlood {

  static final int MAX_CONNECTIONS = 20_000;
  static final int MAX_SECONDS = 600;
  static final int MAX_REOPENED_PER_SECOND = 500;

  private HttpFlood() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int port = Integer.parseInt(args[0]);
    int count = Math.min(MAX_CONNECTIONS, Integer.parseInt(args[1]));
    int seconds = Math.min(MAX_SECONDS, Integer.parseInt(args[2]));
    boolean reopen = args.length > 3 && args[3].equals("reopen");
    InetSocketAddress agent = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI self = URI.create("http://127.0.0.1:" + port + "/v1/agent/self");

    long start = System.nanoTime();
    try (SlowClients slow = SlowClients.open(agent, count)) {
      System.out.printf(
          "opened %d slow connections in %d ms (%d could not connect)%n",
          slow.size(), millisSince(start), slow.connectFailures());
      Map<Outcome, Integer> replaced = new EnumMap<>(Outcome.class);
      long firstServed = -1;
      for (int second = 1; second <= seconds; second++) {
        Thread.sleep(1000);
        slow.trickle();
        if (reopen) {
          slow.reopenClosed(MAX_REOPENED_PER_SECOND)
              .forEach((o, n) -> replaced.merge(o, n, Integer::sum));
        }
        String good = tryOnce(http, self);
        if (firstServed < 0 && good.startsWith("200")) {
          firstServed = millisSince(start);
        }
        System.out.printf("t=%3d s  good request: %s%n", second, good);
      }
      System.out.printf(
          "first good request served %s after the flood began%n",
          firstServed < 0 ? "never" : firstServed + " ms");
      if (reopen) {
        System.out.println("replaced while flooding: " + replaced);
      }
      System.out.println("slow connections at the end: " + slow.outcomes(10));
    }
  }

  private static String tryOnce(HttpClient http, URI uri) throws InterruptedException {
    long start = System.nanoTime();
    try {
      int status =
          http.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                  BodyHandlers.discarding())
              .statusCode();
      return status + " in " + millisSince(start) + " ms";
    } catch (IOException e) {
      return "failed after " + millisSince(start) + " ms: " + e;
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
