package io.hivemind.control;

import io.hivemind.server.control.ControlPeer;
import io.hivemind.server.control.ControlStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;

/** Reads {@link ControlStatus} from a Ratis division: leader, term, indexes, configuration. */
final class StatusReader {

  private StatusReader() {}

  static ControlStatus read(RaftServer.Division division) {
    DivisionInfo info = division.getInfo();
    RaftConfiguration conf = division.getRaftConf();
    RaftPeerId leaderId = info.getLeaderId();
    RaftPeer leader = leaderId == null ? null : conf.getPeer(leaderId);
    return new ControlStatus(
        leader == null,
        leader == null ? "" : leader.getAddress(),
        info.getCurrentTerm(),
        // Ratis says -1 before the first entry; the API's indexes start at 0.
        Math.max(0, division.getRaftLog().getLastCommittedIndex()),
        Math.max(0, info.getLastAppliedIndex()),
        peers(conf, leaderId));
  }

  private static List<ControlPeer> peers(RaftConfiguration conf, RaftPeerId leaderId) {
    List<ControlPeer> peers = new ArrayList<>();
    add(peers, conf.getCurrentPeers(RaftPeerRole.FOLLOWER), true, leaderId);
    add(peers, conf.getCurrentPeers(RaftPeerRole.LISTENER), false, leaderId);
    peers.sort(Comparator.comparing(ControlPeer::id));
    return peers;
  }

  private static void add(
      List<ControlPeer> to, Collection<RaftPeer> from, boolean voter, RaftPeerId leaderId) {
    for (RaftPeer p : from) {
      to.add(
          new ControlPeer(p.getId().toString(), p.getAddress(), voter, p.getId().equals(leaderId)));
    }
  }

  /** The voters of the current configuration. */
  static List<RaftPeer> voters(RaftServer.Division division) {
    return new ArrayList<>(division.getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER));
  }
}
