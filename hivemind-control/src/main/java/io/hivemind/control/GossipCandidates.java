package io.hivemind.control;

import io.hivemind.api.MemberState;
import io.hivemind.core.control.BootstrapPlan;
import io.hivemind.core.membership.Member;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.role.ControlConfig;
import java.util.ArrayList;
import java.util.List;

/** The control-capable members gossip shows, as {@link BootstrapPlan} and the leader need them. */
final class GossipCandidates {

  private GossipCandidates() {}

  /** Alive members with the control role that announce a Raft address, the local node included. */
  static List<BootstrapPlan.Candidate> visible(MembershipService membership) {
    List<BootstrapPlan.Candidate> candidates = new ArrayList<>();
    for (Member member : membership.members()) {
      if (member.state() != MemberState.ALIVE
          || !member.roles().contains(ControlConfig.CONTROL_ROLE)) {
        continue;
      }
      String raft = member.tags().get(BootstrapPlan.RAFT_ADDRESS_TAG);
      if (raft == null || raft.isBlank()) {
        continue;
      }
      boolean formed = BootstrapPlan.FORMED.equals(member.tags().get(BootstrapPlan.GROUP_TAG));
      List<String> formedWith =
          BootstrapPlan.parseVotersTag(member.tags().get(BootstrapPlan.VOTERS_TAG));
      candidates.add(new BootstrapPlan.Candidate(member.name(), raft, formed, formedWith));
    }
    return candidates;
  }

  static PeerAddress peer(BootstrapPlan.Candidate candidate) {
    return new PeerAddress(candidate.name(), candidate.raftAddress());
  }
}
