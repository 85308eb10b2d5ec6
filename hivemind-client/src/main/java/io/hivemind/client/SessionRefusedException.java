package io.hivemind.client;

/**
 * The agent refused this client's session at its handshake, for a reason retrying will not fix
 * (another environment, another cluster, another protocol version, an ACL token it does not know),
 * or refused one registration because ACLs are on and the session's token does not grant {@code
 * service:NAME write} (reason {@code acl_denied}, as the HTTP API's error code). The message is the
 * agent's sentence: it names the permission missing, never the token.
 */
public final class SessionRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * The agent's refusal code, lower case: {@code wrong_environment}, {@code bad_version}, {@code
   * acl_denied}, ...
   */
  private final String reason;

  /**
   * @param reason the agent's refusal code, lower case
   * @param sentence the agent's sentence
   */
  public SessionRefusedException(String reason, String sentence) {
    super(sentence + " (" + reason + ")");
    this.reason = reason;
  }

  /**
   * Why the agent refused.
   *
   * @return the refusal code, lower case: {@code wrong_environment}, {@code bad_version}, {@code
   *     acl_denied}, ...
   */
  public String reason() {
    return reason;
  }
}
