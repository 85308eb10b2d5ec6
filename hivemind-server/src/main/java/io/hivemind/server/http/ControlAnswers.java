package io.hivemind.server.http;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.RefusalCode;
import io.hivemind.server.acl.AclDeniedException;
import io.hivemind.server.control.NoQuorumException;
import io.hivemind.server.logging.RateLimitedLog;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request when a control-plane future completes, back on the request's event loop, and
 * maps its failures to the API's errors: {@link NoQuorumException} is 503 {@code no_quorum}, a
 * refused command ({@link ApplyResult.Refused}) a 4xx with the refusal's code in lower case, an
 * operation the agent refuses its own status and code, anything else 500 {@code <what>_failed}. A
 * timer bounds the wait, so a wedged control plane cannot hold a client for ever.
 */
final class ControlAnswers {

  /**
   * The control plane fails a write itself with {@link NoQuorumException} when no leader answers in
   * time (a few election timeouts); 30 s only bounds a wedged one, like the join timeout.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(ControlAnswers.class);
  private static final RateLimitedLog FAULTS = new RateLimitedLog(LOG);

  private ControlAnswers() {}

  /**
   * Calls {@code answer} with the value of {@code future} on the event loop, or answers its failure
   * with code {@code failedCode}; a failure inside {@code answer} is answered too.
   */
  static <T> void onCompletion(
      ApiRequest request, CompletableFuture<T> future, String failedCode, Consumer<T> answer) {
    CompletableFuture<T> started = future;
    Future<?> timer =
        request.onEventLoopAfter(
            TIMEOUT.toMillis(),
            () ->
                request.error(
                    503,
                    NoQuorumException.CODE,
                    "the control plane did not answer within " + Completions.text(TIMEOUT)));
    started.whenComplete(
        (value, failure) ->
            request.onEventLoop(
                () -> {
                  timer.cancel(false);
                  if (failure != null) {
                    fail(request, failure, failedCode);
                  } else {
                    guard(request, () -> answer.accept(value));
                  }
                }));
  }

  /** Runs {@code task}, answering what it throws as {@link ApiRequestHandler} would. */
  static void guard(ApiRequest request, Runnable task) {
    try {
      task.run();
    } catch (ApiException e) {
      request.error(e.status(), e.code(), e.getMessage());
    } catch (RuntimeException fault) {
      FAULTS.warn(
          System.nanoTime(), "fault", "HTTP {} {} failed", request.method(), request.path(), fault);
      ApiFailures.internal(request);
    }
  }

  /** Answers {@code failure} of a control-plane call. */
  static void fail(ApiRequest request, Throwable failure, String failedCode) {
    Throwable cause = unwrap(failure);
    if (cause instanceof NoQuorumException) {
      request.error(503, NoQuorumException.CODE, cause.getMessage());
    } else if (cause instanceof AgentOperations.OperationRefusedException refused) {
      request.error(refused.status(), refused.code(), refused.getMessage());
    } else if (cause instanceof ApiException e) {
      request.error(e.status(), e.code(), e.getMessage());
    } else if (cause instanceof AclDeniedException) {
      request.error(403, "acl_denied", cause.getMessage());
    } else if (cause instanceof IllegalArgumentException) {
      request.error(400, "operator_refused", cause.getMessage());
    } else if (cause instanceof CancellationException) {
      request.error(503, NoQuorumException.CODE, "the control plane gave up on the request");
    } else {
      String message = cause.getMessage();
      request.error(500, failedCode, message == null ? cause.getClass().getSimpleName() : message);
    }
  }

  /**
   * The error a refused command is answered with.
   *
   * @return an ApiException with the refusal's status and its code in lower case
   */
  static ApiException refused(ApplyResult.Refused refused) {
    return new ApiException(
        status(refused.code()), refused.code().name().toLowerCase(Locale.ROOT), refused.message());
  }

  /** The HTTP status of each refusal: the client's mistake, a conflict, or not yet possible. */
  static int status(RefusalCode code) {
    return switch (code) {
      // RESULTS_FULL never reaches a client (its control node proposes the command again alone).
      case NOT_BOOTSTRAPPED, ROLES_MISSING, RESULTS_FULL -> 503;
      case UNKNOWN_MEMBER, NO_SESSION -> 404;
      case ALREADY_BOOTSTRAPPED, NAME_TAKEN, ID_REUSED, CAS_MISMATCH, LOCK_REFUSED -> 409;
      case INVALID -> 400;
    };
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
