package io.hivemind.client;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one HTTP request and completes with the answer, whatever its status, or exceptionally with
 * the transport's failure: the JDK's {@link HttpClient#sendAsync} in production, a table of canned
 * answers in the routing tests (which open no sockets).
 */
@FunctionalInterface
interface StateExchange {

  CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request);

  /** The JDK client's asynchronous send. */
  static StateExchange of(HttpClient http) {
    return request -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
  }
}
