package io.hivemind.core.state;

import java.util.Objects;

/**
 * One frame of the binary state client protocol (state_client.proto,
 * docs/protocol/state-client.md): a client's hello, the agent's welcome or refusal, then requests
 * and replies matched by id. A record that exists is valid: every text is bounded by {@link
 * #MAX_TEXT} and every operation by {@link StateLimits}.
 */
public sealed interface StateClientMessage
    permits StateClientMessage.Hello,
        StateClientMessage.Welcome,
        StateClientMessage.Refused,
        StateClientMessage.Request,
        StateClientMessage.InvalidRequest,
        StateClientMessage.Reply {

  /**
   * Longest text field (environment, cluster, client name, token, agent id, sentence): names and
   * sentences are far shorter, and a bound keeps a hello from costing more than a known amount.
   */
  int MAX_TEXT = 1024;

  /** Why an agent refused a connection (then closed it). */
  enum Refusal {
    WRONG_ENVIRONMENT,
    BAD_VERSION,
    WRONG_CLUSTER,
    TOO_MANY_CONNECTIONS,
    MALFORMED,
    ACL_DENIED
  }

  /** Why an agent answered a request itself, before the store saw it. */
  enum ErrorCode {
    /** The hello's token may not read or write this key (the HTTP API's 403). */
    ACL_DENIED,
    /** The request breaks a limit or names an unknown operation (the HTTP API's 400). */
    INVALID
  }

  /** Client to agent, first frame only. */
  record Hello(String environment, String cluster, String clientName, String token)
      implements StateClientMessage {
    public Hello {
      text("environment", environment);
      text("cluster", cluster);
      text("client name", clientName);
      text("token", token);
    }
  }

  /** Agent to client: admitted, with the bounds it enforces on this connection. */
  record Welcome(String agent, int maxInFlight, int maxFrameBytes) implements StateClientMessage {
    public Welcome {
      text("agent", agent);
      if (maxInFlight < 1 || maxFrameBytes < 1) {
        throw new IllegalArgumentException(
            "max in flight and max frame bytes must be positive: "
                + maxInFlight
                + ", "
                + maxFrameBytes);
      }
    }
  }

  /** Agent to client, then the agent closes the connection. */
  record Refused(Refusal reason, String sentence) implements StateClientMessage {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      text("sentence", sentence);
    }
  }

  /**
   * One operation.
   *
   * @param id chosen by the client; any 64 bits
   * @param routedVersion the table version the client routed by, 0 for none
   */
  record Request(long id, StateOp op, long routedVersion) implements StateClientMessage {
    public Request {
      Objects.requireNonNull(op, "op");
      if (routedVersion < 0) {
        throw new IllegalArgumentException("routed version out of range: " + routedVersion);
      }
    }
  }

  /**
   * A well-formed request frame whose operation the store would not take (a bad map name, a value
   * over the limit, an unknown kind): decoding keeps its id so the agent answers it {@link
   * ErrorCode#INVALID} and the connection lives on, as the HTTP API answers 400.
   */
  record InvalidRequest(long id, String sentence) implements StateClientMessage {
    public InvalidRequest {
      Objects.requireNonNull(sentence, "sentence");
    }
  }

  /**
   * The answer to request {@code id}: exactly one of {@code result} (the store's) and {@code error}
   * (the agent's own refusal); the routing data are the HTTP API's X-Hivemind-* headers.
   */
  record Reply(
      long id,
      StateResult result,
      RequestError error,
      long tableVersion,
      String owner,
      boolean forwarded)
      implements StateClientMessage {
    public Reply {
      if ((result == null) == (error == null)) {
        throw new IllegalArgumentException("a reply carries a result or an error, not both");
      }
      if (tableVersion < 0) {
        throw new IllegalArgumentException("table version out of range: " + tableVersion);
      }
      text("owner", owner);
    }

    /** The store's answer with its routing data. */
    public static Reply of(
        long id, StateResult result, long tableVersion, String owner, boolean forwarded) {
      return new Reply(
          id, Objects.requireNonNull(result, "result"), null, tableVersion, owner, forwarded);
    }

    /** The agent's own refusal of request {@code id}. */
    public static Reply error(long id, ErrorCode code, String sentence) {
      return new Reply(id, null, new RequestError(code, sentence), 0, "", false);
    }
  }

  /** An agent's refusal of one request. */
  record RequestError(ErrorCode code, String sentence) {
    public RequestError {
      Objects.requireNonNull(code, "code");
      text("sentence", sentence);
    }
  }

  private static void text(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          what + " of " + value.length() + " characters, more than " + MAX_TEXT);
    }
  }
}
