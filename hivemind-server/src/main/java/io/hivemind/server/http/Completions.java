package io.hivemind.server.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * Answers a request when an agent operation's future completes, back on the request's event loop
 * (the future may complete on any thread), and gives up after a timeout so no client waits forever.
 * Giving up cancels an operation that must not outlive its request (a join: {@link #replyOrCancel})
 * and leaves one that must finish anyway (a leave: {@link #reply}). An operation the agent refuses
 * ({@link AgentOperations.OperationRefusedException}) is answered with the refusal's own status and
 * code, such as 409 {@code agent_left}.
 */
final class Completions {

  private Completions() {}

  /**
   * Answers 200 with no body on success; otherwise 500 with {@code code} and a sentence that starts
   * with {@code what}, such as "join through 10.0.0.1:7360 failed: connection refused".
   */
  static void reply(
      ApiRequest request,
      CompletableFuture<Void> operation,
      Duration timeout,
      String code,
      String what) {
    // Both outcomes run on the event loop, and the request takes only the first answer.
    Future<?> timer =
        request.onEventLoopAfter(
            timeout.toMillis(),
            () -> request.error(500, code, sentence(what, new TimeoutException(), timeout)));
    answerOnCompletion(request, operation, timer, code, what, timeout);
  }

  /**
   * Answers as {@link #reply} with code {@code operation_failed}, except at the timeout: then it
   * cancels {@code running} and answers 500 {@code operation_timeout}, such as "join through
   * 10.0.0.1:7360 did not finish within 30 s; the join was cancelled". An operation that completes
   * just as the timeout fires cannot be cancelled any more, and is answered as it completed.
   */
  static void replyOrCancel(
      ApiRequest request,
      CompletableFuture<Void> running,
      Duration timeout,
      String operation,
      String what) {
    String failedCode = operation + "_failed";
    Future<?> timer =
        request.onEventLoopAfter(
            timeout.toMillis(),
            () -> {
              if (running.cancel(false)) {
                String sentence = sentence(what, new TimeoutException(), timeout);
                request.error(
                    500,
                    operation + "_timeout",
                    sentence + "; the " + operation + " was cancelled");
              }
            });
    answerOnCompletion(request, running, timer, failedCode, what, timeout);
  }

  private static void answerOnCompletion(
      ApiRequest request,
      CompletableFuture<Void> operation,
      Future<?> timer,
      String code,
      String what,
      Duration timeout) {
    operation.whenComplete(
        (ok, failure) ->
            request.onEventLoop(
                () -> {
                  timer.cancel(false);
                  if (failure == null) {
                    request.empty();
                  } else if (unwrap(failure)
                      instanceof AgentOperations.OperationRefusedException refused) {
                    request.error(
                        refused.status(),
                        refused.code(),
                        what + " refused: " + refused.getMessage());
                  } else {
                    request.error(500, code, sentence(what, failure, timeout));
                  }
                }));
  }

  static String sentence(String what, Throwable failure, Duration timeout) {
    Throwable cause = unwrap(failure);
    if (cause instanceof TimeoutException) {
      return what + " did not finish within " + text(timeout);
    }
    String message = cause.getMessage();
    return what + " failed: " + (message == null ? cause.getClass().getSimpleName() : message);
  }

  /** {@code timeout} as people write it: "30 s", or "1500 ms" when not whole seconds. */
  static String text(Duration timeout) {
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
