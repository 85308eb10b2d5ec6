package io.hivemind.server.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Answers a request when a catalogue write completes, back on the request's event loop, and maps
 * its failures: a registration the catalogue refuses ({@link IllegalArgumentException}: a check id
 * another instance holds, too many instances) is 400 with its sentence, an operation the agent
 * refuses its own status and code, anything else 500 {@code <what>_failed}. A timer bounds the
 * wait, so a wedged catalogue thread cannot hold a client for ever.
 */
final class CatalogAnswers {

  /** The catalogue applies a write in microseconds on its thread; 10 s means it is wedged. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private CatalogAnswers() {}

  static <T> void onCompletion(
      ApiRequest request, CompletableFuture<T> future, String failedCode, Consumer<T> answer) {
    Future<?> timer =
        request.onEventLoopAfter(
            TIMEOUT.toMillis(),
            () ->
                request.error(
                    503,
                    "catalogue_busy",
                    "the catalogue did not apply the change within " + Completions.text(TIMEOUT)));
    future.whenComplete(
        (value, failure) ->
            request.onEventLoop(
                () -> {
                  timer.cancel(false);
                  if (failure != null) {
                    fail(request, failure, failedCode);
                  } else {
                    ControlAnswers.guard(request, () -> answer.accept(value));
                  }
                }));
  }

  private static void fail(ApiRequest request, Throwable failure, String failedCode) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof IllegalArgumentException) {
      request.error(400, RegistrationJson.CODE, cause.getMessage());
    } else {
      ControlAnswers.fail(request, cause, failedCode);
    }
  }
}
