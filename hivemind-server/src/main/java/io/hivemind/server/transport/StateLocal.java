package io.hivemind.server.transport;

import java.util.function.Supplier;

/**
 * This node as its partitioned-state hellos present it, and the check of a peer's hello against it.
 *
 * @param memberId this node's current control-plane member id (renewed when the cluster removed it,
 *     so read at each hello)
 */
record StateLocal(String cluster, String environment, Supplier<String> memberId) {

  StateHello hello() {
    return new StateHello(cluster, environment, memberId.get());
  }

  /** Why {@code peer} may not talk to this node, or null when it may. */
  String mismatch(StateHello peer) {
    if (!peer.cluster().equals(cluster)) {
      return "the peer is of cluster '" + peer.cluster() + "', not '" + cluster + "'";
    }
    if (!peer.environment().equals(environment)) {
      return "the peer is of environment '" + peer.environment() + "', not '" + environment + "'";
    }
    return null;
  }
}
