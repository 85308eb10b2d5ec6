package io.hivemind.server.state;

import io.hivemind.core.state.StateOp;
import io.hivemind.core.state.StateResult;
import java.util.concurrent.CompletableFuture;

/** Where the HTTP API sends partitioned-state requests: the agent's {@link StateService}. */
public interface StateRequests {

  /** An agent without the partitioned store: every request is unavailable, saying why. */
  StateRequests NONE =
      (op, routedVersion) ->
          CompletableFuture.completedFuture(
              new StateAnswer(
                  new StateResult.Unavailable(
                      StateResult.UnavailableReason.NO_TABLE,
                      "this agent runs no partitioned state"),
                  0,
                  "",
                  false));

  /**
   * Runs {@code op}; completes once answered (never exceptionally while the service runs: a timeout
   * is an {@link StateResult.Unavailable} answer).
   *
   * @param routedVersion the table version the caller routed by, 0 when it did not route
   */
  CompletableFuture<StateAnswer> submit(StateOp op, long routedVersion);
}
