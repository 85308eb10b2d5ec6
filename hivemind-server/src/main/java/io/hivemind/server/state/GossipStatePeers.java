package io.hivemind.server.state;

import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Addresses from what the cluster announces: the control plane's registry names the member of an
 * id, and that member's gossip tags hold its addresses ({@link StateTags}). Reads the latest
 * immutable views each call, so it is thread-safe and never stale by more than gossip is.
 */
public final class GossipStatePeers implements StatePeers {

  private final Supplier<ControlView> control;
  private final Supplier<List<Member>> gossip;

  public GossipStatePeers(Supplier<ControlView> control, Supplier<List<Member>> gossip) {
    this.control = control;
    this.gossip = gossip;
  }

  @Override
  public Optional<Address> stateAddress(String memberId) {
    return tagged(memberId, StateTags.STATE_ADDRESS);
  }

  /** The address in the gossip tag {@code tag} of the member {@code memberId}, if announced. */
  public Optional<Address> tagged(String memberId, String tag) {
    return name(memberId).flatMap(name -> tagOf(name, tag));
  }

  private Optional<String> name(String memberId) {
    for (ControlMember member : control.get().members()) {
      if (member.id().equals(memberId)) {
        return Optional.of(member.name());
      }
    }
    return Optional.empty();
  }

  private Optional<Address> tagOf(String name, String tag) {
    for (Member member : gossip.get()) {
      if (member.name().equals(name)) {
        String value = member.tags().get(tag);
        return value == null ? Optional.empty() : parse(value);
      }
    }
    return Optional.empty();
  }

  private static Optional<Address> parse(String value) {
    try {
      return Optional.of(Address.parse(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a malformed tag is that peer's mistake: it is unreachable
    }
  }
}
