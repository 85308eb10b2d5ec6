package io.hivemind.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Gathers a request and its body into one message, up to the API's body limit. A larger body gets a
 * JSON 413 and the connection closes, since the rest of the body would have to be read and thrown
 * away first (Netty's own answer is a 413 without a body).
 */
final class BodyLimit extends HttpObjectAggregator {

  BodyLimit(int maxBodyBytes) {
    super(maxBodyBytes);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    if (!(oversized instanceof HttpRequest request)) {
      ctx.close();
      return;
    }
    ApiRequest.of(ctx.channel(), request, 0)
        .errorAndClose(
            413,
            "body_too_large",
            "the request body is larger than the limit of " + maxContentLength() + " bytes");
  }
}
