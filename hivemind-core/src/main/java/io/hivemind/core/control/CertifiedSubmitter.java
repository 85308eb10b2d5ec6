package io.hivemind.core.control;

import io.hivemind.core.partition.MoveInFlight;
import io.hivemind.core.partition.PartitionTable;
import java.util.List;
import java.util.Optional;

/**
 * What a follower whose certificate names a node may submit about members (docs/security.md,
 * "Identity"). Over mutual TLS the gateway knows who is at the other end: the certificate's common
 * name, which {@code hivemind tls cert create --name NODE} makes the node's name and which an agent
 * checks against its own name at start. A member-scoped command is that node's to submit only:
 *
 * <ul>
 *   <li>an admission, of a candidate of that name; with the {@code control} role, only from a
 *       control node's certificate ({@code hivemind tls cert create --control}), so an agent's
 *       certificate cannot make its node a voter by restarting it with that role;
 *   <li>a removal or a drain, of a member admitted under that name (its own leave, or a previous
 *       life of the same name whose data directory was lost);
 *   <li>observations, whose observer is that member (an observer the registry does not hold is
 *       ignored by the state machine anyway);
 *   <li>completed moves, of partitions the member holds a replica of (or was the source of): the
 *       node that copies a partition is the one that knows the copy is done.
 * </ul>
 *
 * Without this any node of the cluster could make another leave, forge the independent observers
 * that remove a healthy node early, or complete a move before its data was copied. Commands that
 * are not about members (KV, ACL, catalogue, events) pass: the agent that took the request checked
 * its token. Pure; the gateway asks it with its committed view before proposing.
 */
public final class CertifiedSubmitter {

  private CertifiedSubmitter() {}

  /**
   * Why {@code command} is refused from a connection whose certificate names {@code certifiedName},
   * judged against the committed {@code view}; empty when the node may submit it.
   */
  public static Optional<String> refusal(
      ControlCommand command, CertifiedPeer peer, ControlView view) {
    String certifiedName = peer.name();
    if (command instanceof ControlCommand.AdmitMember admit) {
      return admission(admit.candidate(), peer);
    }
    if (command instanceof ControlCommand.RemoveMember remove) {
      return ownMember(remove.memberId(), certifiedName, view, "a removal");
    }
    if (command instanceof ControlCommand.DrainMember drain) {
      return ownMember(drain.memberId(), certifiedName, view, "a drain");
    }
    if (command instanceof ControlCommand.ReportObservations report) {
      return observations(report.observations(), certifiedName, view);
    }
    if (command instanceof ControlCommand.CompleteMoves complete) {
      return completions(complete.moves(), certifiedName, view);
    }
    return Optional.empty();
  }

  /**
   * How member {@code memberId} stands against a certificate naming {@code certifiedName}: what the
   * gateway checks a follower's declared id with before it accepts catalogue changes of that owner.
   */
  public static Standing standing(String memberId, String certifiedName, ControlView view) {
    ControlMember member = member(memberId, view);
    if (member == null) {
      return Standing.NOT_ADMITTED;
    }
    return member.name().equals(certifiedName) ? Standing.CONFIRMED : Standing.ANOTHER_NODE;
  }

  /** A member id's standing against the certificate a connection presented. */
  public enum Standing {
    /** Admitted under the certificate's name: the connection speaks for it. */
    CONFIRMED,
    /** Not in the registry (yet, or any more): nothing of it is accepted. */
    NOT_ADMITTED,
    /** Admitted under another name: the connection impersonates it. */
    ANOTHER_NODE
  }

  private static Optional<String> admission(ControlMember candidate, CertifiedPeer peer) {
    if (!candidate.name().equals(peer.name())) {
      return refused(peer.name(), "an admission of " + candidate.name());
    }
    if (candidate.hasRole(ControlMember.CONTROL_ROLE) && !peer.control()) {
      return Optional.of(
          "the connection's certificate names "
              + peer.name()
              + " but is not a control node's, which an admission with the "
              + ControlMember.CONTROL_ROLE
              + " role needs: issue one with 'hivemind tls cert create --name "
              + peer.name()
              + " --control'");
    }
    return Optional.empty();
  }

  private static Optional<String> ownMember(
      String memberId, String certifiedName, ControlView view, String what) {
    ControlMember member = member(memberId, view);
    if (member == null) {
      return refused(certifiedName, what + " of " + memberId + ", which is not admitted");
    }
    return member.name().equals(certifiedName)
        ? Optional.empty()
        : refused(certifiedName, what + " of " + member.name() + " (" + memberId + ")");
  }

  private static Optional<String> observations(
      List<Observation> observations, String certifiedName, ControlView view) {
    for (Observation observation : observations) {
      ControlMember observer = member(observation.observer(), view);
      if (observer != null && !observer.name().equals(certifiedName)) {
        return refused(certifiedName, "observations made by " + observer.name());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> completions(
      List<MoveInFlight> moves, String certifiedName, ControlView view) {
    if (moves.isEmpty()) {
      return Optional.empty();
    }
    if (view.partitionTable().isEmpty()) {
      return refused(certifiedName, "completed moves while no partition table is committed");
    }
    PartitionTable table = view.partitionTable().get().table();
    List<String> ids = idsNamed(certifiedName, view);
    for (MoveInFlight moveInFlight : moves) {
      int partition = moveInFlight.move().partition();
      String source = moveInFlight.move().source();
      // The source too: an owner that handed its partition over may report the move once more
      // before it learns of the table that completed it (a repeat the state machine ignores).
      if (partition >= table.partitionCount()
          || (ids.stream().noneMatch(table.replicas().get(partition)::contains)
              && !ids.contains(source))) {
        return refused(
            certifiedName,
            "a completed move of partition " + partition + ", which it holds no replica of");
      }
    }
    return Optional.empty();
  }

  /** The ids admitted under {@code name}: one at most, as the registry refuses a name taken. */
  private static List<String> idsNamed(String name, ControlView view) {
    return view.members().stream()
        .filter(m -> m.name().equals(name))
        .map(ControlMember::id)
        .toList();
  }

  private static ControlMember member(String id, ControlView view) {
    for (ControlMember member : view.members()) {
      if (member.id().equals(id)) {
        return member;
      }
    }
    return null;
  }

  private static Optional<String> refused(String certifiedName, String what) {
    return Optional.of(
        "the connection's certificate names "
            + certifiedName
            + ", which may not submit "
            + what
            + ": a node submits only what concerns itself");
  }
}
