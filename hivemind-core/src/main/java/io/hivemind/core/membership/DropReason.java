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
  /**
   * A claim about a member (Alive, Suspect, Dead or Left, in a packet or a push-pull) whose
   * incarnation runs further ahead of the one this node holds than refutations could have moved it
   * ({@link MemberUpdates#MAX_INCARNATION_JUMP}): forged or corrupt, and dropped so that no message
   * can leave a live member unable to refute. Counted per message, not per packet.
   */
  INCARNATION_JUMP,
  /** Failed authentication (a driver with an encryption keyring counts these). */
  UNAUTHENTICATED
}
