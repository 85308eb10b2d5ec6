package io.hivemind.core.membership;

import io.hivemind.api.MemberState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Every member a node knows, itself included, with the randomized round-robin probe order of SWIM
 * §4.3: members are probed in list order, the list is shuffled after each full pass, and a new
 * member is inserted at a random position. Every member is thus probed once per pass (bounded
 * detection time) while the order stays unpredictable.
 *
 * <p>Two such orders, probed in turn: members that have answered a probe of ours or sent us a
 * packet from their address ({@link NodeState#confirmed}) and members only gossip told us about.
 * Made-up members (forged Alives) never answer, so they stay in the second order until they are
 * suspected, declared dead and reaped; they take at most every other probe and cannot stretch the
 * pass over real members by more than a factor of two (5,000 forged Alives once hid a crashed node
 * for minutes: its pass was 5,050 probes long). When one order has nobody to probe, the other takes
 * every probe.
 *
 * <p>Owned by the node's thread.
 */
final class MemberTable {

  /** One randomized round-robin order. */
  private static final class ProbeOrder {
    final List<NodeState> members = new ArrayList<>();
    int index;

    void add(NodeState node, RandomGenerator random) {
      int position = random.nextInt(members.size() + 1);
      members.add(position, node);
      // Inserted at or before the cursor: keep pointing at the same next member, also when the
      // cursor sits at the end of a finished pass (else the last target is probed again at once).
      if (position <= index) {
        index++;
      }
    }

    boolean remove(NodeState node) {
      int position = members.indexOf(node);
      if (position < 0) {
        return false;
      }
      members.remove(position);
      if (position < index) {
        index--;
      }
      return true;
    }

    NodeState next(NodeState self, RandomGenerator random) {
      for (int checked = 0; checked <= members.size(); checked++) {
        if (index >= members.size()) {
          shuffle(random);
          index = 0;
          if (members.isEmpty()) {
            return null;
          }
        }
        NodeState candidate = members.get(index++);
        if (candidate != self && candidate.isActive()) {
          return candidate;
        }
      }
      return null;
    }

    private void shuffle(RandomGenerator random) {
      for (int i = members.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        NodeState swap = members.get(i);
        members.set(i, members.get(j));
        members.set(j, swap);
      }
    }
  }

  private final Map<String, NodeState> byName = new HashMap<>();
  private final ProbeOrder confirmed = new ProbeOrder();
  private final ProbeOrder unconfirmed = new ProbeOrder();
  private final RandomGenerator random;
  private boolean unconfirmedTurn;
  private int activeCount;

  MemberTable(RandomGenerator random) {
    this.random = random;
  }

  NodeState get(String name) {
    return byName.get(name);
  }

  Collection<NodeState> all() {
    return byName.values();
  }

  int size() {
    return byName.size();
  }

  /** Members alive or suspect, the local node included: the N of every formula. */
  int activeCount() {
    return activeCount;
  }

  void add(NodeState node) {
    byName.put(node.name, node);
    orderOf(node).add(node, random);
    if (node.isActive()) {
      activeCount++;
    }
  }

  void remove(NodeState node) {
    if (byName.remove(node.name) == null) {
      return;
    }
    orderOf(node).remove(node);
    if (node.isActive()) {
      activeCount--;
    }
  }

  /**
   * {@code node} answered a probe or sent us a packet from its address: from now on it is probed
   * among the confirmed members.
   */
  void confirm(NodeState node) {
    if (node.confirmed() || byName.get(node.name) != node) {
      return;
    }
    unconfirmed.remove(node);
    node.setConfirmed();
    confirmed.add(node, random);
  }

  private ProbeOrder orderOf(NodeState node) {
    return node.confirmed() ? confirmed : unconfirmed;
  }

  /** Changes a member's state, keeping the active count right. */
  void setState(NodeState node, MemberState state, long now) {
    if (node.isActive()) {
      activeCount--;
    }
    node.state = state;
    node.stateChangeMillis = now;
    if (node.isActive()) {
      activeCount++;
    }
  }

  /**
   * The next member to probe: active and not {@code self}, from the confirmed and the unconfirmed
   * order in turn; null when there is none.
   */
  NodeState nextProbeTarget(NodeState self) {
    unconfirmedTurn = !unconfirmedTurn;
    ProbeOrder first = unconfirmedTurn ? unconfirmed : confirmed;
    ProbeOrder second = unconfirmedTurn ? confirmed : unconfirmed;
    NodeState target = first.next(self, random);
    return target != null ? target : second.next(self, random);
  }

  /**
   * Up to {@code count} distinct random members matching {@code filter}. Draws random positions, as
   * memberlist's {@code kRandomNodes}, giving up after 3 × size draws so a sparse match cannot loop
   * for long.
   */
  List<NodeState> randomMembers(int count, Predicate<NodeState> filter) {
    List<NodeState> picked = new ArrayList<>(count);
    int size = byName.size();
    int confirmedCount = confirmed.members.size();
    for (int draws = 0; draws < 3 * size && picked.size() < count; draws++) {
      int i = random.nextInt(size);
      NodeState candidate =
          i < confirmedCount
              ? confirmed.members.get(i)
              : unconfirmed.members.get(i - confirmedCount);
      if (filter.test(candidate) && !picked.contains(candidate)) {
        picked.add(candidate);
      }
    }
    return picked;
  }

  /**
   * As {@link #randomMembers}, members that answered us ({@link NodeState#confirmed}) first, the
   * rest only to make up the count: a made-up member swallows what is sent to it (a relay request,
   * a push-pull, gossip).
   */
  List<NodeState> randomConfirmedFirst(int count, Predicate<NodeState> filter) {
    List<NodeState> picked = randomMembers(count, m -> m.confirmed() && filter.test(m));
    if (picked.size() < count) {
      picked.addAll(randomMembers(count - picked.size(), m -> !m.confirmed() && filter.test(m)));
    }
    return picked;
  }
}
