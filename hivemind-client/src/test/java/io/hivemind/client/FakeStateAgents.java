package io.hivemind.client;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Function;
import javax.net.ssl.SSLSession;

/**
 * Agents without sockets, for the routing tests: each address answers with a handler; an address
 * without one refuses the connection, as a dead agent does. Records every request it was sent.
 */
final class FakeStateAgents implements StateExchange {

  final List<HttpRequest> sent = new ArrayList<>();
  private final Map<String, Function<HttpRequest, HttpResponse<byte[]>>> agents = new HashMap<>();

  void answer(URI agent, Function<HttpRequest, HttpResponse<byte[]>> handler) {
    agents.put(agent.getAuthority(), handler);
  }

  void down(URI agent) {
    agents.remove(agent.getAuthority());
  }

  @Override
  public synchronized CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request) {
    sent.add(request);
    Function<HttpRequest, HttpResponse<byte[]>> handler = agents.get(request.uri().getAuthority());
    if (handler == null) {
      return CompletableFuture.failedFuture(new ConnectException("connection refused"));
    }
    return CompletableFuture.completedFuture(handler.apply(request));
  }

  /** The requests sent to the store (not the table fetches), as "authority path". */
  synchronized List<String> storeRequests() {
    return sent.stream()
        .filter(r -> r.uri().getPath().startsWith("/v1/state/"))
        .map(r -> r.uri().getAuthority() + " " + r.uri().getRawPath())
        .toList();
  }

  synchronized long tableFetches() {
    return sent.stream().filter(r -> r.uri().getPath().equals("/v1/partitions/owners")).count();
  }

  static HttpResponse<byte[]> response(
      HttpRequest request, int status, String body, Map<String, List<String>> headers) {
    return new Answer(request, status, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  /**
   * The request's body, read from its publisher (the JDK's byte-array publisher is synchronous).
   */
  static byte[] body(HttpRequest request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    request
        .bodyPublisher()
        .ifPresent(
            publisher ->
                publisher.subscribe(
                    new Flow.Subscriber<ByteBuffer>() {
                      @Override
                      public void onSubscribe(Flow.Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                      }

                      @Override
                      public void onNext(ByteBuffer item) {
                        byte[] bytes = new byte[item.remaining()];
                        item.get(bytes);
                        out.writeBytes(bytes);
                      }

                      @Override
                      public void onError(Throwable throwable) {
                        throw new IllegalStateException(throwable);
                      }

                      @Override
                      public void onComplete() {}
                    }));
    return out.toByteArray();
  }

  static String tableVersionSent(HttpRequest request) {
    return request.headers().firstValue(StateHeaders.TABLE_VERSION).orElse("none");
  }

  private record Answer(
      HttpRequest request, int statusCode, byte[] body, Map<String, List<String>> headerMap)
      implements HttpResponse<byte[]> {

    @Override
    public Optional<HttpResponse<byte[]>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return HttpHeaders.of(headerMap, (name, value) -> true);
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
