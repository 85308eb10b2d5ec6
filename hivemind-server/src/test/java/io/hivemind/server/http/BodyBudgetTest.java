package io.hivemind.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The budget for the bodies all connections are receiving at once, on connections with the API's
 * codec and body limit: a body that does not fit is refused before any of it is kept, and a body
 * gives its share back once it has arrived or its connection closed. No socket.
 */
class BodyBudgetTest {

  /** The API's general body limit here: bodies up to it take nothing from the budget. */
  private static final int GENERAL = 100;

  private final BodyBudget.Ledger ledger = new BodyBudget.Ledger(1000);
  private final HttpApiStats stats = new HttpApiStats();
  private final List<FullHttpRequest> received = new ArrayList<>();

  private EmbeddedChannel connection() {
    BodyLimit limit = new BodyLimit(GENERAL, Map.of("/v1/kv/", 900));
    return new EmbeddedChannel(
        new HttpServerCodec(),
        new BodyBudget(ledger, GENERAL, limit::limitOf, stats),
        limit,
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object message) {
            received.add((FullHttpRequest) message);
          }
        });
  }

  private static void send(EmbeddedChannel channel, String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, UTF_8));
  }

  private static String head(String path, int length) {
    return "PUT " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n";
  }

  private static String answer(EmbeddedChannel channel) {
    StringBuilder text = new StringBuilder();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      text.append(((ByteBuf) out).toString(UTF_8));
      ReferenceCountUtil.release(out);
    }
    return text.toString();
  }

  @Test
  void aBodyThatDoesNotFit_503BeforeAnyOfItIsKept_andTheBudgetComesBackWhenTheOthersArrive() {
    EmbeddedChannel slow = connection();
    send(slow, head("/v1/kv/a", 800) + "x".repeat(100)); // 800 of 1000 reserved while it arrives
    EmbeddedChannel second = connection();

    send(second, head("/v1/kv/b", 300) + "y".repeat(300));

    assertThat(answer(second))
        .startsWith("HTTP/1.1 503 ")
        .contains("\"error\":\"too_many_uploads\"", "receiving 800 bytes", "most is 1000");
    assertThat(second.isOpen()).isFalse();
    assertThat(stats.uploadsRefused()).isEqualTo(1);
    assertThat(ledger.reserved()).isEqualTo(800);
    EmbeddedChannel small = connection();
    send(small, head("/v1/kv/s", GENERAL) + "s".repeat(GENERAL));
    assertThat(received).as("a small body is never refused").hasSize(1);

    send(slow, "x".repeat(700)); // the rest: handed on, its share given back
    assertThat(received).hasSize(2);
    assertThat(ledger.reserved()).isZero();
    EmbeddedChannel third = connection();
    send(third, head("/v1/kv/c", 300) + "z".repeat(300));
    assertThat(received).hasSize(3);
    received.forEach(FullHttpRequest::release);
  }

  @Test
  void aConnectionClosedMidBody_givesItsShareBack_andRequestsWithoutABodyReserveNothing() {
    EmbeddedChannel slow = connection();
    send(slow, head("/v1/kv/a", 900) + "x".repeat(10));
    assertThat(ledger.reserved()).isEqualTo(900);

    slow.close();

    assertThat(ledger.reserved()).isZero();
    EmbeddedChannel reader = connection();
    send(reader, "GET /v1/kv/a HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(received).hasSize(1);
    assertThat(ledger.reserved()).isZero();
    received.forEach(FullHttpRequest::release);
  }

  @Test
  void aChunkedBody_reservesItsPathsWholeLimit_andAnOverLimitLengthOnlyThatLimit() {
    EmbeddedChannel chunked = connection();
    send(chunked, "PUT /v1/kv/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n");
    assertThat(ledger.reserved()).isEqualTo(900);
    chunked.close();

    EmbeddedChannel huge = connection();
    send(huge, head("/v1/kv/big", 1_000_000));

    assertThat(answer(huge)).startsWith("HTTP/1.1 413 "); // the body limit's answer, not ours
    assertThat(ledger.reserved()).isZero();
  }
}
