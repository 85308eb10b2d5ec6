package io.hivemind.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GenericFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One request and the means to answer it, exactly once: now, or later from any thread (join and
 * leave answer when their futures complete). Answers go out on the connection's event loop, which
 * is also the only thread that reads or writes {@link #answered}.
 *
 * <p>The connection reads no further request until this one is answered, so answers keep the order
 * of pipelined requests.
 */
final class ApiRequest {

  static final String JSON = "application/json";

  /** The Prometheus text exposition format (version 0.0.4 is what scrapers ask for as text). */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final byte[] EMPTY = new byte[0];

  private final Channel channel;
  private final HttpMethod method;
  private final String path;

  /** The URI when it has a query, else null; parsed on the first {@link #queryParam}. */
  private final String uriWithQuery;

  private Map<String, List<String>> query;
  private Map<String, String> pathParams = Map.of();
  private ApiCaller caller = ApiCaller.UNRESTRICTED;
  private final HttpHeaders headers;
  private final byte[] body;
  private final int bodyLength;
  private final boolean keepAlive;
  private boolean answered;

  /**
   * The request {@code message} carries, with a body of {@code bodyLength} bytes. A message the
   * decoder rejected has neither query parameters nor keep-alive: it is answered and closed.
   */
  static ApiRequest of(Channel channel, HttpRequest message, int bodyLength) {
    return of(channel, message, bodyLength, EMPTY);
  }

  /** The whole request {@code message}: its body is copied, for the endpoints that take one. */
  static ApiRequest of(Channel channel, FullHttpRequest message) {
    ByteBuf content = message.content();
    byte[] body = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), body);
    return of(channel, message, body.length, body);
  }

  private static ApiRequest of(Channel channel, HttpRequest message, int bodyLength, byte[] body) {
    String uri = originForm(message.uri());
    int query = uri.indexOf('?');
    boolean decoded = message.decoderResult().isSuccess();
    return new ApiRequest(
        channel,
        message.method(),
        query < 0 ? uri : uri.substring(0, query),
        decoded && query >= 0 ? uri : null,
        message.headers(),
        body,
        bodyLength,
        decoded && keepsAlive(message));
  }

  /**
   * Only an HTTP/1.1 connection stays open after its answer (unless the client asks to close). An
   * HTTP/1.0 client's {@code Connection: keep-alive} is an old extension a server may decline (RFC
   * 9112 §9.3): it gets its answer and {@code Connection: close}; the API's clients (the CLI, the
   * Java client, Prometheus) all speak HTTP/1.1.
   */
  private static boolean keepsAlive(HttpRequest message) {
    return message.protocolVersion().equals(HttpVersion.HTTP_1_1) && HttpUtil.isKeepAlive(message);
  }

  /**
   * The path and query of a request target. A server must accept the absolute form ({@code
   * http://host/path}, RFC 9112 §3.2.2) as well as the usual origin form ({@code /path}).
   */
  private static String originForm(String target) {
    int scheme = target.startsWith("/") ? -1 : target.indexOf("://");
    if (scheme < 0) {
      return target;
    }
    int path = target.indexOf('/', scheme + 3);
    int query = target.indexOf('?', scheme + 3);
    if (path < 0 || (query >= 0 && query < path)) {
      return query < 0 ? "/" : "/" + target.substring(query);
    }
    return target.substring(path);
  }

  private ApiRequest(
      Channel channel,
      HttpMethod method,
      String path,
      String uriWithQuery,
      HttpHeaders headers,
      byte[] body,
      int bodyLength,
      boolean keepAlive) {
    this.channel = channel;
    this.method = method;
    this.path = path;
    this.uriWithQuery = uriWithQuery;
    this.headers = headers;
    this.body = body;
    this.bodyLength = bodyLength;
    this.keepAlive = keepAlive;
  }

  /** Sets the values of the matched route's path parameters, once its route is known. */
  void bindPathParams(Map<String, String> params) {
    pathParams = Map.copyOf(params);
  }

  /** Sets who sent this request, once its token is resolved ({@link RouteAccess}). */
  void bindCaller(ApiCaller resolved) {
    caller = resolved;
  }

  /** Who sent this request: unrestricted when ACLs are disabled. */
  ApiCaller caller() {
    return caller;
  }

  HttpMethod method() {
    return method;
  }

  /** The path as sent, still percent-encoded. */
  String path() {
    return path;
  }

  /**
   * The first value of query parameter {@code name}, or null.
   *
   * @throws ApiException 400 {@code bad_request} when the query's percent-encoding is malformed
   */
  String queryParam(String name) {
    List<String> values = queryParams(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /**
   * Every value of query parameter {@code name} ({@code ?tag=a&tag=b}), in order; empty when
   * absent.
   *
   * @throws ApiException 400 {@code bad_request} when the query's percent-encoding is malformed
   */
  List<String> queryParams(String name) {
    if (query == null) {
      try {
        query = uriWithQuery == null ? Map.of() : new QueryStringDecoder(uriWithQuery).parameters();
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("bad_request", "the query is malformed: " + e.getMessage());
      }
    }
    List<String> values = query.get(name);
    return values == null ? List.of() : values;
  }

  /** The decoded value of the route template's {@code {name}}. */
  String pathParam(String name) {
    return pathParams.get(name);
  }

  int bodyLength() {
    return bodyLength;
  }

  /** The body's bytes (empty when there is none); the caller must not change them. */
  byte[] body() {
    return body;
  }

  /** The first value of request header {@code name}, or null. */
  String header(CharSequence name) {
    return headers.get(name);
  }

  /**
   * Runs {@code task} once the connection closes (the client went away, or an answer closed it).
   *
   * @return what unregisters the task: a keep-alive connection may serve many waits, and each must
   *     not leave a listener behind
   */
  Runnable onClose(Runnable task) {
    GenericFutureListener<io.netty.util.concurrent.Future<? super Void>> listener =
        closed -> task.run();
    channel.closeFuture().addListener(listener);
    return () -> channel.closeFuture().removeListener(listener);
  }

  /** Runs {@code task} on the event loop every {@code millis}; cancel it with the result. */
  Future<?> onEventLoopEvery(long millis, Runnable task) {
    return channel.eventLoop().scheduleAtFixedRate(task, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code task} on the connection's event loop, the thread answers are written on. */
  void onEventLoop(Runnable task) {
    channel.eventLoop().execute(task);
  }

  /** Schedules {@code task} on the event loop after {@code millis}; cancel it with the result. */
  Future<?> onEventLoopAfter(long millis, Runnable task) {
    return channel.eventLoop().schedule(task, millis, TimeUnit.MILLISECONDS);
  }

  void json(int status, byte[] body) {
    answer(status, JSON, body, false);
  }

  /** A JSON answer with extra response headers (Consul's {@code X-Consul-Index} and the like). */
  void json(int status, byte[] body, Map<String, String> extraHeaders) {
    respond(status, JSON, body, extraHeaders);
  }

  /** Any answer with extra response headers (a KV value asked with {@code ?raw} is raw bytes). */
  void respond(int status, String contentType, byte[] body, Map<String, String> extraHeaders) {
    FullHttpResponse response = response(status, contentType, body);
    extraHeaders.forEach((name, value) -> response.headers().set(name, value));
    send(response, false);
  }

  /**
   * Starts an answer whose body never ends (server-sent events): 200 with {@code contentType} and
   * chunked transfer encoding. The connection serves nothing else afterwards and closes when the
   * client goes. Call on the event loop.
   *
   * @return the stream to write chunks to; null when the request was already answered
   */
  ApiStream openStream(String contentType) {
    if (answered) {
      return null;
    }
    answered = true;
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
    HttpUtil.setTransferEncodingChunked(response, true);
    channel.writeAndFlush(response);
    // From here the connection is one-way. Reading stays on, so that a client that goes away is
    // seen at once (its FIN), not at the next write; whatever it sends is dropped before the codec.
    channel.pipeline().addFirst(new DropInbound());
    channel.config().setAutoRead(true);
    return new ApiStream(channel);
  }

  void error(int status, String code, String message) {
    json(status, ApiJson.error(code, message));
  }

  /** An error after which the connection closes: the rest of its bytes cannot be trusted. */
  void errorAndClose(int status, String code, String message) {
    answer(status, JSON, ApiJson.error(code, message), true);
  }

  /** 405 with the methods the path does take, as RFC 9110 §15.5.6 asks. */
  void methodNotAllowed(String allowed) {
    FullHttpResponse response =
        response(
            405,
            JSON,
            ApiJson.error(
                "method_not_allowed", method + " is not allowed on " + path + "; use " + allowed));
    response.headers().set(HttpHeaderNames.ALLOW, allowed);
    send(response, false);
  }

  void text(String contentType, String body) {
    answer(200, contentType, body.getBytes(StandardCharsets.UTF_8), false);
  }

  /** Consul answers a successful join or leave with 200 and no body; so do we. */
  void empty() {
    answer(200, null, new byte[0], false);
  }

  private void answer(int status, String contentType, byte[] body, boolean close) {
    send(response(status, contentType, body), close);
  }

  private FullHttpResponse response(int status, String contentType, byte[] body) {
    // Always HTTP/1.1, whatever the request said: a server answers with the highest version it
    // conforms to whose major version the client sent (RFC 9110 §6.2), and HTTP/1.0 clients read a
    // 1.1 answer. Versions other than 1.0 and 1.1 never get here (505).
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
    if (contentType != null) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    HttpUtil.setContentLength(response, body.length);
    return response;
  }

  private void send(FullHttpResponse response, boolean close) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> send(response, close));
      return;
    }
    if (answered) {
      response.release();
      return;
    }
    answered = true;
    if (close || !keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.writeAndFlush(response);
      // The answer is out: the connection may read the next request.
      channel.config().setAutoRead(true);
    }
  }

  /** Drops every inbound message: on a streaming connection nothing the client sends is read. */
  private static final class DropInbound extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }
}
