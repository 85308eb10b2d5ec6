package io.hivemind.core.membership;

/** Why an incoming packet or stream frame was dropped. Each reason has its own counter. */
public enum DropReason {
  /** Not a valid protobuf message: truncated, random bytes, a bad length inside. */
  MALFORMED,
  /** Larger than the receiver accepts. */
  OVERSIZED,
  /** Protocol version other than the receiver's. */
  WRONG_VERSION,
  /** Sent by a node of another cluster. */
  WRONG_CLUSTER,
  /** Sent by a node of another environment (production, staging, testing, development). */
  WRONG_ENVIRONMENT,
  /** Well-formed, but a field breaks a rule: empty name, too much metadata, too many members. */
  INVALID,
  /** Failed authentication (a driver with an encryption keyring counts these). */
  UNAUTHENTICATED
}
