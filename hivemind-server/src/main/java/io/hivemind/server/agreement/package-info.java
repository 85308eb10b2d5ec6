/**
 * Membership's agreement with the control plane, on every agent: admission, the node's own probe
 * verdicts as observations, committed removals applied to gossip, a committed leave, and the rejoin
 * after a stale epoch ({@link io.hivemind.server.agreement.ControlMembershipBridge}). Its own
 * package because it depends on both membership and the control plane, which must not depend on
 * each other.
 */
package io.hivemind.server.agreement;
