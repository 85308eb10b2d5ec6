package io.hivemind.server.state;

import io.hivemind.core.membership.Address;
import java.util.Optional;

/** Where a member of the partition table listens for state messages, as the cluster announces. */
@FunctionalInterface
public interface StatePeers {

  /** The state address of the control-plane member {@code memberId}, empty when unknown. */
  Optional<Address> stateAddress(String memberId);
}
