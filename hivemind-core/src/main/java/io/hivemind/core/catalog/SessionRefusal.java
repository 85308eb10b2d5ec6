package io.hivemind.core.catalog;

/** Why an agent refused a client's hello (catalog_session.proto {@code SessionRefusal}). */
public enum SessionRefusal {
  /** The client serves another environment than the agent. */
  WRONG_ENVIRONMENT,
  /** The client speaks another protocol version. */
  BAD_VERSION,
  /** The client expects another cluster. */
  WRONG_CLUSTER,
  /** The agent holds as many sessions as it allows. */
  TOO_MANY_SESSIONS,
  /** The hello was not a valid hello. */
  MALFORMED,
  /** The agent is starting or stopping. */
  NOT_READY,
  /** ACLs are on and the hello's token is not known to the cluster. */
  ACL_DENIED
}
