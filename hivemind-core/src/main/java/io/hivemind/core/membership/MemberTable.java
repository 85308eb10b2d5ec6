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
 * <p>Owned by the node's thread.
 */
final class MemberTable {

  private final Map<String, NodeState> byName = new HashMap<>();
  private final List<NodeState> probeOrder = new ArrayList<>();
  private final RandomGenerator random;
  private int probeIndex;
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
    int position = random.nextInt(probeOrder.size() + 1);
    probeOrder.add(position, node);
    // Inserted at or before the cursor: keep pointing at the same next member, also when the
    // cursor sits at the end of a finished pass (else the last target is probed again at once).
    if (position <= probeIndex) {
      probeIndex++;
    }
    if (node.isActive()) {
      activeCount++;
    }
  }

  void remove(NodeState node) {
    if (byName.remove(node.name) == null) {
      return;
    }
    int position = probeOrder.indexOf(node);
    probeOrder.remove(position);
    if (position < probeIndex) {
      probeIndex--;
    }
    if (node.isActive()) {
      activeCount--;
    }
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
   * The next member to probe in randomized round-robin order: active and not {@code self}; null
   * when there is none.
   */
  NodeState nextProbeTarget(NodeState self) {
    for (int checked = 0; checked <= probeOrder.size(); checked++) {
      if (probeIndex >= probeOrder.size()) {
        shuffle();
        probeIndex = 0;
        if (probeOrder.isEmpty()) {
          return null;
        }
      }
      NodeState candidate = probeOrder.get(probeIndex++);
      if (candidate != self && candidate.isActive()) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Up to {@code count} distinct random members matching {@code filter}. Draws random positions, as
   * memberlist's {@code kRandomNodes}, giving up after 3 × size draws so a sparse match cannot loop
   * for long.
   */
  List<NodeState> randomMembers(int count, Predicate<NodeState> filter) {
    List<NodeState> picked = new ArrayList<>(count);
    int size = probeOrder.size();
    for (int draws = 0; draws < 3 * size && picked.size() < count; draws++) {
      NodeState candidate = probeOrder.get(random.nextInt(size));
      if (filter.test(candidate) && !picked.contains(candidate)) {
        picked.add(candidate);
      }
    }
    return picked;
  }

  private void shuffle() {
    for (int i = probeOrder.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      NodeState swap = probeOrder.get(i);
      probeOrder.set(i, probeOrder.get(j));
      probeOrder.set(j, swap);
    }
  }
}
