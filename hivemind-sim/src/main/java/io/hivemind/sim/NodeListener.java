package io.hivemind.sim;

import io.hivemind.core.membership.MembershipEvent;

/** What a {@link SimNode} tells the cluster about its life and its view. */
interface NodeListener {

  /** The node's process started (first start or restart): it is running, with an empty view. */
  void started(SimNode node);

  /** The node's process stopped: crashed or left; its status says which. */
  void stopped(SimNode node);

  /** The node emitted {@code event}. */
  void onEvent(SimNode node, MembershipEvent event);
}
