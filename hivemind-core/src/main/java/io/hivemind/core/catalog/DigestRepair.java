package io.hivemind.core.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One link's answer to its peer's digests (docs/protocol/catalogue.md, "Periodic digest"): which
 * owners' whole states to send, and which to defer because what the peer lacks is already in flight
 * on the link. The agent's relay and the simulator both run it, so the simulator's repair traffic
 * is the agents'.
 *
 * <p>The rule: an owner this replica holds at a newer version than the peer's digest (or that the
 * peer does not hold at all) is sent, except when the peer was behind on it at its previous digest
 * on this link too and has moved on since, and the link carries the owner's changes. Every change a
 * replica applies is passed on to every link that may carry its owner (but the one it came from,
 * which has it), so once a link has exchanged a digest what the peer lacks is in flight on it, in
 * order; under a steady write load a digest is always a little behind, and answering with the
 * owner's whole state every round re-sent tens of thousands of instances to every replica every 10
 * s (etcd-vs-registrations, 2026-12-02). A peer that stood still since its previous digest (a
 * change lost on a live link, its answer lost too), or was not behind at it (a link just opened, an
 * owner just busy), gets the state, so a lost change is healed within two rounds.
 *
 * <p>State: the peer's version of each owner it was behind on at its previous digest, and only
 * those (a few busy owners, not every owner for every follower link). A new link starts with none,
 * so a link's first exchange never defers.
 *
 * <p>Not thread-safe: one instance per link direction, used by the thread that owns the replica.
 */
public final class DigestRepair {

  /**
   * What answers one peer digest.
   *
   * @param owners the owners whose whole states to send, in the order of the replica's digest
   * @param deferred how many owners the peer lacks changes of were left out as in flight
   */
  public record Answer(List<String> owners, int deferred) {
    public Answer {
      owners = List.copyOf(owners);
      if (deferred < 0) {
        throw new IllegalArgumentException("deferred must be >= 0: " + deferred);
      }
    }
  }

  private Map<String, OwnerVersion> behind = Map.of();

  /**
   * Decides the answer to one digest of the peer, and remembers what the peer was behind on for the
   * next.
   *
   * @param held this replica's digest ({@link CatalogReplica#digest()})
   * @param peerDigest the versions the peer's digest lists
   * @param linkCarries whether this link passes on changes of an owner as this replica applies them
   *     (the agent: the link scope's {@code sends}); only then can a change be in flight on it
   */
  public Answer answer(
      Map<String, OwnerVersion> held,
      Map<String, OwnerVersion> peerDigest,
      Predicate<String> linkCarries) {
    Objects.requireNonNull(held, "held");
    Objects.requireNonNull(peerDigest, "peerDigest");
    Objects.requireNonNull(linkCarries, "linkCarries");
    Map<String, OwnerVersion> nowBehind = new HashMap<>();
    List<String> send = new ArrayList<>();
    int deferred = 0;
    for (Map.Entry<String, OwnerVersion> entry : held.entrySet()) {
      String owner = entry.getKey();
      OwnerVersion theirs = peerDigest.get(owner);
      if (theirs != null && !entry.getValue().isNewerThan(theirs)) {
        continue; // the peer holds as much of it as we do, or more
      }
      if (theirs != null) {
        nowBehind.put(owner, theirs);
      }
      if (catchingUp(owner, theirs, linkCarries)) {
        deferred++;
      } else {
        send.add(owner);
      }
    }
    behind = nowBehind;
    return new Answer(send, deferred);
  }

  /**
   * Whether the peer lacks only changes of {@code owner} already on their way to it: it holds the
   * owner, the link carries it, and it was behind at its previous digest too and has moved since. A
   * peer that holds nothing of the owner is not remembered, and gets the state each time.
   */
  private boolean catchingUp(String owner, OwnerVersion theirs, Predicate<String> linkCarries) {
    if (theirs == null || !linkCarries.test(owner)) {
      return false;
    }
    OwnerVersion before = behind.get(owner);
    return before != null && theirs.isNewerThan(before);
  }

  /** How many owners the peer was behind on at its last digest (what this link remembers). */
  public int remembered() {
    return behind.size();
  }
}
