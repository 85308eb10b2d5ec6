package io.hivemind.server.control;

/**
 * A control node refused an admission before proposing it: a missing or wrong join token, another
 * cluster or environment. Retrying with the same configuration gets the same answer.
 */
public final class AdmissionRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The API's stable error code. */
  public static final String CODE = "admission_refused";

  public AdmissionRefusedException(String message) {
    super(message, null, false, false);
  }
}
