package io.hivemind.server.acl;

/**
 * A control node refused a command because the token of the request it was made for may not make it
 * (docs/acl.md): the API answers it as its own refusals, 403 {@code acl_denied}.
 */
public final class AclDeniedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public AclDeniedException(String message) {
    super(message);
  }
}
