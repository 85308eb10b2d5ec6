package io.hivemind.server.http;

/**
 * A request the API answers with an error: the status, the stable code and the sentence of an
 * {@link io.hivemind.api.ApiError}. Handlers throw it; {@link ApiFailures} writes it. It carries no
 * stack trace: it is an answer, not a fault.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
