package io.hivemind.core.catalog;

/** The outcome of a session request (catalog_session.proto {@code SessionResultCode}). */
public enum SessionResultCode {
  OK,
  /** The request broke a rule; the sentence says which. */
  INVALID,
  /** No instance or check with that id in this session. */
  NOT_FOUND,
  /** The agent could not do it (closing, or an internal failure). */
  FAILED,
  /** ACLs are on and the session's token does not allow it; the sentence names the permission. */
  DENIED
}
