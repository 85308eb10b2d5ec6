package io.hivemind.it.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A state put repeated while it is answered 503: a write whose backup did not ack in time (a busy
 * 2-core CI machine) or whose partition changed hands meanwhile is refused, though it may have
 * landed, and a put is safe to repeat. Any other answer than 200 or 503 fails the test.
 */
final class RepeatedPuts {

  private RepeatedPuts() {}

  /**
   * Sends {@code put} until it is answered 200, within {@code atMost}.
   *
   * @return how many times it was sent
   */
  static int untilAccepted(Callable<HttpResponse<String>> put, Duration atMost) {
    AtomicInteger attempts = new AtomicInteger();
    await()
        .atMost(atMost)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              attempts.incrementAndGet();
              HttpResponse<String> answer = put.call();
              assertThat(answer.statusCode()).as(answer.body()).isIn(200, 503);
              return answer.statusCode() == 200;
            });
    return attempts.get();
  }
}
