package io.hivemind.core.control;

/** What happens to the keys a session holds when it is invalidated (Consul's {@code Behavior}). */
public enum SessionBehavior {
  /** The locks are released: the keys stay, without a holder. Consul's default. */
  RELEASE,
  /** The keys are deleted (an ephemeral key that lives as long as its session). */
  DELETE
}
