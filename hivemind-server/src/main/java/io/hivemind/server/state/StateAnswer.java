package io.hivemind.server.state;

import io.hivemind.core.state.StateResult;
import java.util.Objects;

/**
 * A request's result with what the HTTP API tells a routing client beside it.
 *
 * @param result the store's answer
 * @param tableVersion this agent's partition table version when it answered, 0 before any
 * @param ownerId the owner of the key's partition in that table, "" when none or no table
 * @param forwarded whether this agent is not that owner, so the request went to another agent (the
 *     client should refresh its table)
 */
public record StateAnswer(
    StateResult result, long tableVersion, String ownerId, boolean forwarded) {

  public StateAnswer {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(ownerId, "ownerId");
  }
}
