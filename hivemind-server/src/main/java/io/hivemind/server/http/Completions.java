package io.hivemind.server.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers a request when an agent operation's future completes, back on the request's event loop
 * (the future may complete on any thread), and gives up after a timeout so no client waits forever.
 * Giving up does not cancel the operation: a slow join may still succeed later.
 */
final class Completions {

  private Completions() {}

  /**
   * Answers 200 with no body on success; otherwise 500 with {@code code} and a sentence that starts
   * with {@code what}, such as "join through 10.0.0.1:7360 failed: connection refused".
   */
  static void reply(
      RoutingContext ctx,
      CompletableFuture<Void> operation,
      Duration timeout,
      String code,
      String what) {
    Future.fromCompletionStage(operation, ctx.vertx().getOrCreateContext())
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                Replies.empty(ctx.response());
              } else {
                Replies.error(ctx.response(), 500, code, sentence(what, done.cause(), timeout));
              }
            });
  }

  static String sentence(String what, Throwable failure, Duration timeout) {
    Throwable cause = unwrap(failure);
    if (cause instanceof TimeoutException) {
      return what + " did not finish within " + text(timeout);
    }
    String message = cause.getMessage();
    return what + " failed: " + (message == null ? cause.getClass().getSimpleName() : message);
  }

  private static String text(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
