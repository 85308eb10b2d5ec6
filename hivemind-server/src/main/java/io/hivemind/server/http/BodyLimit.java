package io.hivemind.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/**
 * Gathers a request and its body into one message, up to the API's body limit. A larger body gets a
 * JSON 413 and the connection closes, since the rest of the body would have to be read and thrown
 * away first (Netty's own answer is a 413 without a body).
 *
 * <p>The same holds for a request that states an {@code Expect} (RFC 9110 §10.1.1) the API cannot
 * meet: an expectation other than {@code 100-continue} gets a JSON 417, and a {@code 100-continue}
 * whose Content-Length is over the limit a JSON 413, and the connection closes (Netty's own answers
 * have no body; the fuzz suite found them).
 */
final class BodyLimit extends HttpObjectAggregator {

  /** The longest part of a client's Expect value quoted back in an error message. */
  private static final int QUOTED_CHARS = 64;

  /** Where partitioned-state values (issue 13, up to 1 MiB) are written. */
  static final String STATE_PATH = "/v1/state/";

  private final int maxBodyBytes;
  private final Map<String, Integer> largerByPrefix;

  BodyLimit(int maxBodyBytes) {
    this(maxBodyBytes, Map.of());
  }

  /**
   * @param largerByPrefix the limits of requests whose path starts with a prefix (the values of the
   *     stores: their own limits, above the general one); a body without a length (chunked) is
   *     bounded by the largest limit as it arrives
   */
  BodyLimit(int maxBodyBytes, Map<String, Integer> largerByPrefix) {
    // Close once an expectation failed: the body may follow anyway.
    super(largest(maxBodyBytes, largerByPrefix), true);
    this.maxBodyBytes = maxBodyBytes;
    this.largerByPrefix = Map.copyOf(largerByPrefix);
  }

  private static int largest(int maxBodyBytes, Map<String, Integer> largerByPrefix) {
    int largest = maxBodyBytes;
    for (int limit : largerByPrefix.values()) {
      largest = Math.max(largest, limit);
    }
    return largest;
  }

  /** The limit of the request {@code start} opens. */
  int limitOf(HttpMessage start) {
    if (start instanceof HttpRequest request) {
      for (Map.Entry<String, Integer> larger : largerByPrefix.entrySet()) {
        if (request.uri().startsWith(larger.getKey())) {
          return Math.max(maxBodyBytes, larger.getValue());
        }
      }
    }
    return maxBodyBytes;
  }

  @Override
  protected boolean isContentLengthInvalid(HttpMessage start, int maxContentLength) {
    return super.isContentLengthInvalid(start, limitOf(start));
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
            "the request body is larger than the limit of " + limitOf(request) + " bytes");
  }

  /**
   * Netty's answer to an Expect header (100 Continue, or an empty 417 or 413), in the API's shape.
   */
  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    String expected = String.valueOf(start.headers().get(HttpHeaderNames.EXPECT)); // super drops it
    Object answer = super.newContinueResponse(start, limitOf(start), pipeline);
    if (!(answer instanceof HttpResponse failed) || failed.status().code() < 400) {
      return answer;
    }
    int status = failed.status().code();
    ((FullHttpResponse) answer).release();
    if (status == 413) {
      return jsonError(
          HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          "body_too_large",
          "the request body is larger than the limit of " + limitOf(start) + " bytes");
    }
    return jsonError(
        HttpResponseStatus.EXPECTATION_FAILED,
        "expectation_failed",
        "the request expects '"
            + (expected.length() > QUOTED_CHARS
                ? expected.substring(0, QUOTED_CHARS) + "…"
                : expected)
            + "'; the API meets only Expect: 100-continue");
  }

  private static FullHttpResponse jsonError(
      HttpResponseStatus status, String code, String message) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(ApiJson.error(code, message)));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, ApiRequest.JSON);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    return response;
  }
}
