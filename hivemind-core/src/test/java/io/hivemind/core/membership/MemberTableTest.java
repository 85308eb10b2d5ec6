package io.hivemind.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class MemberTableTest {

  /** Always draws zero: insertions go to the front and shuffles are a fixed rotation. */
  private static final class ZeroRandom implements RandomGenerator {
    @Override
    public long nextLong() {
      return 0;
    }

    @Override
    public int nextInt(int bound) {
      return 0;
    }
  }

  private static NodeState node(String name) {
    return new NodeState(name, new Address("10.1.0.1", 7946), 1, MemberState.ALIVE, 0);
  }

  private static MemberTable tableWith(RandomGenerator random, NodeState self, int members) {
    MemberTable table = new MemberTable(random);
    table.add(self);
    for (int i = 1; i <= members; i++) {
      table.add(node("m" + i));
    }
    return table;
  }

  @Test
  void nextProbeTarget_roundRobin_visitsEveryActiveMemberEvenly() {
    for (long seed = 0; seed < 20; seed++) {
      NodeState self = node("self");
      MemberTable table = tableWith(new SplittableRandom(seed), self, 7);
      Map<String, Integer> visits = new HashMap<>();
      Map<String, Integer> lastVisit = new HashMap<>();

      for (int i = 0; i < 7 * 100; i++) {
        String name = table.nextProbeTarget(self).name;
        Integer last = lastVisit.put(name, i);
        if (last != null) {
          // Once per pass: the same member comes back after at most two passes' worth.
          assertThat(i - last).as("seed %d gap of %s", seed, name).isBetween(1, 13);
        }
        visits.merge(name, 1, Integer::sum);
      }

      assertThat(visits).as("seed %d", seed).hasSize(7);
      assertThat(visits.values()).allSatisfy(count -> assertThat(count).isBetween(99, 101));
    }
  }

  @Test
  void nextProbeTarget_skipsSelfDeadAndLeft() {
    NodeState self = node("self");
    MemberTable table = tableWith(new SplittableRandom(3), self, 4);
    table.setState(table.get("m2"), MemberState.DEAD, 0);
    table.setState(table.get("m3"), MemberState.LEFT, 0);
    table.setState(table.get("m4"), MemberState.SUSPECT, 0);

    List<String> targets = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      targets.add(table.nextProbeTarget(self).name);
    }

    assertThat(new HashSet<>(targets)).containsExactlyInAnyOrder("m1", "m4");
  }

  @Test
  void nextProbeTarget_onlySelf_returnsNull() {
    NodeState self = node("self");
    MemberTable table = tableWith(new SplittableRandom(1), self, 0);

    assertThat(table.nextProbeTarget(self)).isNull();
  }

  @Test
  void nextProbeTarget_memberAddedAtEndOfPass_doesNotProbeLastTargetTwiceInARow() {
    NodeState self = node("self");
    MemberTable table = tableWith(new ZeroRandom(), self, 3);
    List<String> pass = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pass.add(table.nextProbeTarget(self).name);
    }
    assertThat(pass).containsExactlyInAnyOrder("m1", "m2", "m3");

    table.add(node("m4"));
    String next = table.nextProbeTarget(self).name;

    assertThat(next).as("pass was %s", pass).isNotEqualTo(pass.get(2));
  }

  @Test
  void activeCount_followsStateChangesAndRemoval() {
    NodeState self = node("self");
    MemberTable table = tableWith(new SplittableRandom(5), self, 3);
    assertThat(table.activeCount()).isEqualTo(4);

    table.setState(table.get("m1"), MemberState.SUSPECT, 0);
    assertThat(table.activeCount()).isEqualTo(4);
    table.setState(table.get("m1"), MemberState.DEAD, 0);
    assertThat(table.activeCount()).isEqualTo(3);
    table.remove(table.get("m1"));
    table.remove(table.get("m2"));
    assertThat(table.activeCount()).isEqualTo(2);
    assertThat(table.size()).isEqualTo(2);
    assertThat(table.get("m2")).isNull();
  }

  @Test
  void randomMembers_areDistinctAndFiltered() {
    NodeState self = node("self");
    MemberTable table = tableWith(new SplittableRandom(9), self, 20);
    table.setState(table.get("m7"), MemberState.DEAD, 0);

    for (int round = 0; round < 50; round++) {
      List<NodeState> picked = table.randomMembers(5, m -> m != self && m.isActive());

      assertThat(picked).hasSize(5).doesNotHaveDuplicates().doesNotContain(self);
      assertThat(picked).allSatisfy(m -> assertThat(m.name).isNotEqualTo("m7"));
    }
  }

  @Test
  void randomMembers_fewerMatchesThanAsked_returnsOnlyMatches() {
    NodeState self = node("self");
    MemberTable table = tableWith(new SplittableRandom(11), self, 3);

    List<NodeState> picked = table.randomMembers(10, m -> m != self);

    assertThat(picked).extracting(m -> m.name).containsExactlyInAnyOrder("m1", "m2", "m3");
  }

  @Test
  void randomMembers_noMatch_returnsEmpty() {
    NodeState self = node("self");
    MemberTable table = tableWith(new SplittableRandom(11), self, 3);

    assertThat(table.randomMembers(3, m -> false)).isEmpty();
    assertThat(new MemberTable(new SplittableRandom(1)).randomMembers(3, m -> true)).isEmpty();
  }

  /**
   * Regression: 5,000 forged Alives stretched the probe pass over a real member to 5,050 probes.
   * Confirmed members (those that answered us) and unconfirmed ones are probed in turn, so a real
   * member still comes up within two passes over the real members however many ghosts there are.
   */
  @Test
  void nextProbeTarget_thousandsUnconfirmed_confirmedStillProbedEveryOtherTurn() {
    NodeState self = node("self");
    self.setConfirmed();
    MemberTable table = new MemberTable(new SplittableRandom(3));
    table.add(self);
    List<NodeState> real = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      NodeState member = node("real" + i);
      table.add(member);
      table.confirm(member);
      real.add(member);
    }
    for (int i = 0; i < 5_000; i++) {
      table.add(node("ghost" + i));
    }
    Map<String, Integer> lastVisit = new HashMap<>();

    for (int i = 0; i < 1_000; i++) {
      NodeState target = table.nextProbeTarget(self);
      if (target.confirmed()) {
        Integer last = lastVisit.put(target.name, i);
        if (last != null) {
          assertThat(i - last).as("gap of %s", target.name).isLessThanOrEqualTo(2 * 2 * 10);
        }
      }
    }
    assertThat(lastVisit.keySet()).hasSize(10);
  }

  @Test
  void nextProbeTarget_noUnconfirmed_everyProbeGoesToConfirmed() {
    NodeState self = node("self");
    MemberTable table = tableWith(new SplittableRandom(4), self, 0);
    for (int i = 1; i <= 4; i++) {
      NodeState member = node("m" + i);
      table.add(member);
      table.confirm(member);
    }
    Map<String, Integer> visits = new HashMap<>();

    for (int i = 0; i < 40; i++) {
      visits.merge(table.nextProbeTarget(self).name, 1, Integer::sum);
    }

    assertThat(visits).hasSize(4).allSatisfy((name, count) -> assertThat(count).isEqualTo(10));
  }

  @Test
  void confirm_thenRemove_leavesNoTrace() {
    NodeState self = node("self");
    MemberTable table = tableWith(new SplittableRandom(5), self, 2);
    NodeState m1 = table.get("m1");

    table.confirm(m1);
    table.remove(m1);

    assertThat(table.size()).isEqualTo(2);
    for (int i = 0; i < 10; i++) {
      assertThat(table.nextProbeTarget(self).name).isEqualTo("m2");
    }
  }
}
