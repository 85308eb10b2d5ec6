package io.hivemind.server.http;

import io.hivemind.server.logging.RateLimitedLog;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every API connection: turns each whole request into an {@link ApiRequest},
 * finds its endpoint and runs it; every way that can fail becomes the JSON error shape. Shared by
 * all connections (it keeps no state of its own).
 */
@ChannelHandler.Sharable
final class ApiRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ApiRequestHandler.class);

  /** A fault may repeat with every request of a client in a loop: one stack trace an interval. */
  private static final RateLimitedLog FAULTS = new RateLimitedLog(LOG);

  private final Routes routes;
  private final RouteAccess access;

  ApiRequestHandler(Routes routes) {
    this(routes, RouteAccess.OPEN);
  }

  /** Serves {@code routes}, each request checked by {@code access} before its endpoint runs. */
  ApiRequestHandler(Routes routes, RouteAccess access) {
    this.routes = routes;
    this.access = access;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest message) {
    // One request at a time per connection: the next is read once this one is answered.
    ctx.channel().config().setAutoRead(false);
    ApiRequest request = ApiRequest.of(ctx.channel(), message);
    if (!message.decoderResult().isSuccess()) {
      ApiFailures.undecodable(request, message.decoderResult().cause());
      return;
    }
    if (ApiFailures.refuseUnservedVersion(request, message.protocolVersion())) {
      return;
    }
    try {
      dispatch(request);
    } catch (ApiException answer) {
      request.error(answer.status(), answer.code(), answer.getMessage());
    } catch (RuntimeException fault) {
      FAULTS.warn(
          ctx.executor().ticker().nanoTime(),
          "fault",
          "HTTP {} {} failed",
          request.method(),
          request.path(),
          fault);
      ApiFailures.internal(request);
    }
  }

  private void dispatch(ApiRequest request) {
    ApiFailures.requireDecodablePath(request.path());
    Routes.Match match = routes.match(request.method(), request.path());
    if (match instanceof Routes.Found found) {
      if (!(found.endpoint() instanceof Routes.BodyEndpoint)) {
        AgentHandlers.requireNoBody(request);
      }
      request.bindPathParams(found.pathParams());
      access.check(request, found.template());
      found.endpoint().handle(request);
    } else if (match instanceof Routes.WrongMethod wrong) {
      request.methodNotAllowed(String.join(", ", wrong.allowed()));
    } else {
      ApiFailures.notFound(request);
    }
  }

  /**
   * An idle keep-alive connection closes (the idle handler in front of us says when). One whose
   * request is still being answered is not idle but waiting: a blocking query may wait up to ten
   * minutes by Consul's rules, with nothing on the wire (reading is off until it is answered).
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      if (ctx.channel().config().isAutoRead()) {
        ctx.close();
      }
    } else {
      super.userEventTriggered(ctx, event);
    }
  }

  /** A connection that fails (reset by the client, most often) is closed; the agent carries on. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("HTTP connection from {} failed", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
