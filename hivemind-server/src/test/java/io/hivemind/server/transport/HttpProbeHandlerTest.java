package io.hivemind.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.server.catalog.CheckProber;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HttpProbeHandlerTest {

  private final CompletableFuture<CheckProber.Outcome> outcome = new CompletableFuture<>();
  private final HttpProbeHandler handler = new HttpProbeHandler("HTTP GET http://x/h", outcome);
  private final EmbeddedChannel channel = new EmbeddedChannel(handler);

  private void answer(int code, String body) {
    channel.writeInbound(
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code)));
    channel.writeInbound(
        new DefaultLastHttpContent(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)));
  }

  @Test
  void verdict_followsConsulsRule() {
    assertThat(HttpProbeHandler.verdict(200)).isEqualTo(HealthStatus.PASSING);
    assertThat(HttpProbeHandler.verdict(204)).isEqualTo(HealthStatus.PASSING);
    assertThat(HttpProbeHandler.verdict(299)).isEqualTo(HealthStatus.PASSING);
    assertThat(HttpProbeHandler.verdict(429)).isEqualTo(HealthStatus.WARNING);
    assertThat(HttpProbeHandler.verdict(301)).isEqualTo(HealthStatus.CRITICAL);
    assertThat(HttpProbeHandler.verdict(404)).isEqualTo(HealthStatus.CRITICAL);
    assertThat(HttpProbeHandler.verdict(503)).isEqualTo(HealthStatus.CRITICAL);
  }

  @Test
  void answer_completesWithStatusAndBody_andClosesTheConnection() {
    answer(200, "all good");

    CheckProber.Outcome seen = outcome.join();
    assertThat(seen.status()).isEqualTo(HealthStatus.PASSING);
    assertThat(seen.output()).isEqualTo("HTTP GET http://x/h: 200 OK Output: all good");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void longBody_isCutAtFourKibibytes_beforeTheAnswerEnds() {
    channel.writeInbound(
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE));
    channel.writeInbound(
        new DefaultHttpContent(Unpooled.copiedBuffer("x".repeat(3000), StandardCharsets.US_ASCII)));
    assertThat(outcome).isNotDone();
    channel.writeInbound(
        new DefaultHttpContent(Unpooled.copiedBuffer("y".repeat(3000), StandardCharsets.US_ASCII)));

    CheckProber.Outcome seen = outcome.join();
    assertThat(seen.status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(seen.output())
        .endsWith("x".repeat(3000) + "y".repeat(HttpProbeHandler.MAX_BODY - 3000));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void closeBeforeAnAnswer_isCritical() {
    channel.close();

    CheckProber.Outcome seen = outcome.join();
    assertThat(seen.status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(seen.output()).contains("closed before an answer");
  }

  @Test
  void timeout_isCriticalWithTheTime_andClosesTheConnection() {
    handler.timedOut(channel, Duration.ofMillis(2_000));

    assertThat(channel.isOpen()).isFalse();
    assertThat(outcome.join().status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(outcome.join().output()).contains("no answer within 2000 ms");
  }
}
