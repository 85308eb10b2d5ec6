package io.hivemind.client;

/**
 * The partitioned store could not serve a request now; trying again later may work (HTTP 503, codes
 * {@code state_unavailable} and {@code state_moved}). {@link #reason()} says why, as the agent put
 * it: {@code no_lease} (the owner's lease on the partition table lapsed: it is on a minority side,
 * or the control plane has no quorum), {@code backup_timeout} (the write may have been applied, its
 * backups did not confirm it in time), {@code no_owner}, {@code no_table}, {@code timeout}, {@code
 * overloaded}, or {@code moved} (the partition moved again while the request followed it).
 */
public final class StateUnavailableException extends HivemindClientException {

  private static final long serialVersionUID = 1L;

  /** The agent's code when the key's partition kept moving ahead of the request. */
  public static final String MOVED = "state_moved";

  /** The agent's code for every other reason. */
  public static final String UNAVAILABLE = "state_unavailable";

  private final String reason;

  /**
   * @param code {@link #UNAVAILABLE} or {@link #MOVED}
   * @param reason the reason, such as {@code no_lease}
   * @param message one sentence for a person
   */
  public StateUnavailableException(String code, String reason, String message) {
    super(code, message, 503, null);
    this.reason = reason;
  }

  /**
   * Why the store could not serve the request.
   *
   * @return {@code no_lease}, {@code backup_timeout}, {@code no_owner}, {@code no_table}, {@code
   *     timeout}, {@code overloaded}, {@code moved}, or another word a newer agent uses
   */
  public String reason() {
    return reason;
  }
}
