package io.hivemind.core.control;

/** Why a member left the registry. */
public enum RemovalReason {
  /** It asked to leave (graceful leave, committed before it spreads). */
  LEFT,
  /** The control plane agreed it failed (observers' reports or the suspicion timeout). */
  FAILED,
  /** An operator removed it. */
  OPERATOR
}
