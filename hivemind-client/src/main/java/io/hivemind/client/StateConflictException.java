package io.hivemind.client;

/**
 * A compare-and-set found another version than the one it expected (HTTP 409, code {@code
 * cas_conflict}): nothing was written. {@link #currentVersion()} is the entry's version the owner
 * held, to read again and retry from.
 */
public final class StateConflictException extends HivemindClientException {

  private static final long serialVersionUID = 1L;

  /** The agent's code. */
  public static final String CODE = "cas_conflict";

  private final long currentVersion;

  /**
   * @param currentVersion the entry's version, 0 when it is absent
   * @param message one sentence for a person
   */
  public StateConflictException(long currentVersion, String message) {
    super(CODE, message, 409, null);
    this.currentVersion = currentVersion;
  }

  /**
   * The version the entry had when the compare-and-set was refused.
   *
   * @return the version, 0 when the entry was absent
   */
  public long currentVersion() {
    return currentVersion;
  }
}
