package io.hivemind.server.transport;

import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.server.catalog.CheckProber;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Reads one HTTP check's answer: its status and at most {@value #MAX_BODY} bytes of its body, then
 * closes the connection and completes the probe with Consul's verdict and output ({@code HTTP GET
 * url: 200 OK Output: body}). The first of answer, error, close and timeout decides.
 *
 * <p>Owning thread: the channel's event loop.
 */
final class HttpProbeHandler extends SimpleChannelInboundHandler<HttpObject> {

  /** Consul keeps 4 KiB of a check's output; more is neither read nor kept. */
  static final int MAX_BODY = 4096;

  private final String what;
  private final CompletableFuture<CheckProber.Outcome> outcome;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private HttpResponseStatus status;

  HttpProbeHandler(String what, CompletableFuture<CheckProber.Outcome> outcome) {
    this.what = what;
    this.outcome = outcome;
  }

  /** Consul's rule: 2xx passes, 429 warns, anything else is critical. */
  static HealthStatus verdict(int code) {
    if (code >= 200 && code < 300) {
      return HealthStatus.PASSING;
    }
    return code == 429 ? HealthStatus.WARNING : HealthStatus.CRITICAL;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
    if (message instanceof HttpResponse response) {
      status = response.status();
    }
    if (message instanceof HttpContent content) {
      ByteBuf bytes = content.content();
      int room = MAX_BODY - body.size();
      int take = Math.min(room, bytes.readableBytes());
      if (take > 0) {
        byte[] chunk = new byte[take];
        bytes.readBytes(chunk);
        body.write(chunk, 0, take);
      }
      if (message instanceof LastHttpContent || body.size() >= MAX_BODY) {
        answered(ctx.channel());
      }
    }
  }

  private void answered(Channel channel) {
    if (status != null) {
      String output = what + ": " + status + " Output: " + body.toString(StandardCharsets.UTF_8);
      outcome.complete(new CheckProber.Outcome(verdict(status.code()), output));
    }
    channel.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (status != null) {
      answered(ctx.channel()); // an answer without a length ends when the server closes
    }
    fail(ctx.channel(), "the connection closed before an answer");
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx.channel(), cause.toString());
  }

  void timedOut(Channel channel, Duration timeout) {
    fail(channel, "no answer within " + timeout.toMillis() + " ms");
  }

  private void fail(Channel channel, String why) {
    outcome.complete(new CheckProber.Outcome(HealthStatus.CRITICAL, what + ": " + why));
    channel.close();
  }
}
