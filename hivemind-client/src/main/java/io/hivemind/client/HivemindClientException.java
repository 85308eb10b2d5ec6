package io.hivemind.client;

/**
 * A call to the agent failed. {@link #getMessage()} is one sentence for a person; {@link #code()}
 * is stable, for programs: either the agent's error code (such as {@code bad_address}, {@code
 * join_failed} or {@code agent_left}, see {@link io.hivemind.api.ApiError}) or one of this client's
 * own:
 *
 * <ul>
 *   <li>{@link #UNREACHABLE}: no agent answers at the address;
 *   <li>{@link #TIMEOUT}: the agent did not answer in time;
 *   <li>{@link #IO_ERROR}: the connection failed in another way;
 *   <li>{@link #INTERRUPTED}: the calling thread was interrupted (its flag is set again);
 *   <li>{@link #UNEXPECTED_RESPONSE}: the answer is not what the API promises (another server on
 *       the port, or an incompatible agent).
 * </ul>
 */
public class HivemindClientException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** No agent answers at the address (connection refused, unknown host). */
  public static final String UNREACHABLE = "unreachable";

  /** The agent accepted the connection but did not answer in time. */
  public static final String TIMEOUT = "timeout";

  /** The connection failed in another way. */
  public static final String IO_ERROR = "io_error";

  /** The calling thread was interrupted while waiting. */
  public static final String INTERRUPTED = "interrupted";

  /** The answer does not have the shape the API promises. */
  public static final String UNEXPECTED_RESPONSE = "unexpected_response";

  /** The stable error code. */
  private final String code;

  /** The HTTP status of the agent's answer, or 0. */
  private final int httpStatus;

  /**
   * @param code the stable error code
   * @param message one sentence for a person
   * @param httpStatus the HTTP status of the agent's answer, or 0 when there was none
   * @param cause what this client caught, if anything
   */
  public HivemindClientException(String code, String message, int httpStatus, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /**
   * The stable error code.
   *
   * @return the agent's code, or one of this class's constants
   */
  public String code() {
    return code;
  }

  /**
   * The HTTP status of the agent's answer.
   *
   * @return the status, or 0 when no answer came
   */
  public int httpStatus() {
    return httpStatus;
  }
}
