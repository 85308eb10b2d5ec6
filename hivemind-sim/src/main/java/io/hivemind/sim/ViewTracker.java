package io.hivemind.sim;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.MembershipEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What every node believes about every other, rebuilt from the nodes' membership events, and the
 * milestones measured on it: when a joiner became known ALIVE by all, when a crash was first
 * suspected and when every live node had it DEAD, and which running members were wrongly accused.
 *
 * <p>The expected state of a member follows from its host: ALIVE while running, DEAD once crashed,
 * LEFT once left. For each member, {@code agreeing} counts the running nodes whose view matches
 * that; the sum over members is kept as well, so "do all views agree?" is answered in O(1) after
 * every event, which is what lets milestones be timed to the millisecond on thousands of nodes.
 * Lifecycle changes cost one scan of a row and a column.
 *
 * <p>Derived from events only: {@link SimCluster#allLiveNodesAgree} checks the nodes' own tables,
 * so a missing event shows up as a difference between the two.
 *
 * <p>Single-threaded, run by the {@link EventQueue}.
 */
final class ViewTracker implements NodeListener {

  /** A milestone not reached. */
  static final long NEVER = -1;

  private static final byte NONE = 0;
  private static final byte ALIVE = code(MemberState.ALIVE);
  private static final byte SUSPECT = code(MemberState.SUSPECT);
  private static final byte DEAD = code(MemberState.DEAD);
  private static final byte LEFT = code(MemberState.LEFT);
  private static final int CODES = MemberState.values().length + 1;

  private final EventQueue clock;
  private final List<SimNode> nodes = new ArrayList<>();
  private final Map<String, Integer> indexByName = new HashMap<>();
  private byte[][] views = new byte[0][];
  private int[] agreeing = new int[0];
  private boolean[] everStarted = new boolean[0];
  private long[] joinAt = new long[0];
  private long[] convergedAt = new long[0];
  private long[] crashAt = new long[0];
  private long[] firstSuspectAt = new long[0];
  private long[] allDeadAt = new long[0];
  private long[] marks = new long[0];
  private int live;
  private int started;
  private long agreePairs;

  private final TreeSet<Integer> falselyDead = new TreeSet<>();
  private final TreeSet<Integer> falselySuspected = new TreeSet<>();
  private long falseDeadEvents;
  private long falseSuspectEvents;

  private long liveMillis;
  private long liveSinceMillis;

  ViewTracker(EventQueue clock) {
    this.clock = clock;
  }

  private static byte code(MemberState state) {
    return (byte) (state.ordinal() + 1);
  }

  void register(SimNode node) {
    int index = node.index();
    if (index != nodes.size()) {
      throw new IllegalArgumentException("nodes must be registered in index order");
    }
    grow(index + 1);
    nodes.add(node);
    indexByName.put(node.name(), index);
  }

  private void grow(int size) {
    if (size <= agreeing.length) {
      return;
    }
    int capacity = Math.max(size, agreeing.length * 2);
    views = Arrays.copyOf(views, capacity);
    agreeing = Arrays.copyOf(agreeing, capacity);
    everStarted = Arrays.copyOf(everStarted, capacity);
    joinAt = grown(joinAt, capacity);
    convergedAt = grown(convergedAt, capacity);
    crashAt = grown(crashAt, capacity);
    firstSuspectAt = grown(firstSuspectAt, capacity);
    allDeadAt = grown(allDeadAt, capacity);
    marks = Arrays.copyOf(marks, capacity * CODES);
  }

  private static long[] grown(long[] array, int capacity) {
    int old = array.length;
    long[] copy = Arrays.copyOf(array, capacity);
    Arrays.fill(copy, old, capacity, NEVER);
    return copy;
  }

  // ---- NodeListener -----------------------------------------------------------------------------

  @Override
  public void started(SimNode node) {
    accumulateLiveTime();
    int s = node.index();
    views[s] = new byte[agreeing.length]; // A fresh process knows nobody yet.
    if (!everStarted[s]) {
      everStarted[s] = true;
      started++;
    }
    live++;
    recountColumn(s);
    joinAt[s] = NEVER;
    convergedAt[s] = NEVER;
    crashAt[s] = NEVER;
    checkAllMilestones();
  }

  @Override
  public void stopped(SimNode node) {
    accumulateLiveTime();
    int s = node.index();
    live--;
    for (int t = 0; t < nodes.size(); t++) {
      if (t != s && everStarted[t] && view(s, t) == expected(t)) {
        agreeing[t]--;
        agreePairs--;
      }
    }
    recountColumn(s);
    if (node.status() == SimNode.Status.CRASHED) {
      crashAt[s] = clock.now();
      firstSuspectAt[s] = NEVER;
      allDeadAt[s] = NEVER;
    }
    checkAllMilestones();
  }

  @Override
  public void onEvent(SimNode observer, MembershipEvent event) {
    if (!observer.isRunning() || isLocal(event.type())) {
      return;
    }
    Integer subject = indexByName.get(event.member().name());
    if (subject == null || subject == observer.index()) {
      return;
    }
    boolean reaped = event.type() == MembershipEvent.Type.MEMBER_REAPED;
    change(observer.index(), subject, reaped ? NONE : code(event.member().state()));
  }

  private static boolean isLocal(MembershipEvent.Type type) {
    return switch (type) {
      // A probe verdict is this node's own report for the control plane, not a change of view.
      case LOCAL_JOINED, LOCAL_DECLARED_DEAD, LOCAL_LEFT, PROBE_FAILED, PROBE_ANSWERED -> true;
      default -> false;
    };
  }

  /** A join through seeds started: time it until every running node has the joiner ALIVE. */
  void joined(SimNode node) {
    int s = node.index();
    joinAt[s] = clock.now();
    convergedAt[s] = NEVER;
    checkMilestones(s);
  }

  // ---- the view matrix --------------------------------------------------------------------------

  private void change(int o, int s, byte next) {
    byte old = view(o, s);
    if (old == next) {
      return;
    }
    byte[] row = views[o];
    if (row.length <= s) {
      row = views[o] = Arrays.copyOf(row, agreeing.length);
    }
    row[s] = next;
    if (everStarted[s]) {
      byte expected = expected(s);
      int delta = (next == expected ? 1 : 0) - (old == expected ? 1 : 0);
      agreeing[s] += delta;
      agreePairs += delta;
    }
    marks[s * CODES + next]++;
    if (next == SUSPECT || next == DEAD) {
      accused(s, next);
    }
    checkMilestones(s);
  }

  private byte view(int o, int s) {
    byte[] row = views[o];
    return row == null || s >= row.length ? NONE : row[s];
  }

  private byte expected(int s) {
    return switch (nodes.get(s).status()) {
      case RUNNING -> ALIVE;
      case CRASHED -> DEAD;
      case LEFT -> LEFT;
      case NEW -> NONE;
    };
  }

  private void recountColumn(int s) {
    agreePairs -= agreeing[s];
    byte expected = expected(s);
    int count = 0;
    for (SimNode observer : nodes) {
      int o = observer.index();
      if (o != s && observer.isRunning() && view(o, s) == expected) {
        count++;
      }
    }
    agreeing[s] = count;
    agreePairs += count;
  }

  private void accused(int s, byte state) {
    SimNode subject = nodes.get(s);
    if (subject.isRunning()) {
      if (state == DEAD) {
        falseDeadEvents++;
        falselyDead.add(s);
      } else {
        falseSuspectEvents++;
        falselySuspected.add(s);
      }
    } else if (crashAt[s] != NEVER && firstSuspectAt[s] == NEVER) {
      firstSuspectAt[s] = clock.now(); // A DEAD seen first still follows someone's suspicion.
    }
  }

  // ---- milestones -------------------------------------------------------------------------------

  private void checkAllMilestones() {
    for (int s = 0; s < nodes.size(); s++) {
      checkMilestones(s);
    }
  }

  private void checkMilestones(int s) {
    SimNode subject = nodes.get(s);
    if (joinAt[s] != NEVER && convergedAt[s] == NEVER && isKnownAliveByAll(subject)) {
      convergedAt[s] = clock.now();
    }
    if (crashAt[s] != NEVER && allDeadAt[s] == NEVER && isDeadEverywhere(subject)) {
      allDeadAt[s] = clock.now();
    }
  }

  boolean isKnownAliveByAll(SimNode subject) {
    return subject.isRunning() && agreeing[subject.index()] == live - 1;
  }

  boolean isDeadEverywhere(SimNode subject) {
    return subject.status() == SimNode.Status.CRASHED && agreeing[subject.index()] == live;
  }

  /**
   * Every running node sees every other host as its status says: running ALIVE, crashed DEAD, left
   * LEFT (hosts never started are ignored).
   */
  boolean viewsAgree() {
    return agreePairs == (long) live * (started - 1);
  }

  // ---- readings ---------------------------------------------------------------------------------

  long joinAt(SimNode node) {
    return joinAt[node.index()];
  }

  long convergedAt(SimNode node) {
    return convergedAt[node.index()];
  }

  long crashAt(SimNode node) {
    return crashAt[node.index()];
  }

  long firstSuspectAt(SimNode node) {
    return firstSuspectAt[node.index()];
  }

  long allDeadAt(SimNode node) {
    return allDeadAt[node.index()];
  }

  /** How many times some node's view of {@code node} moved into {@code state}. */
  long marks(SimNode node, MemberState state) {
    return marks[node.index() * CODES + code(state)];
  }

  int falselyDeadMembers() {
    return falselyDead.size();
  }

  long falseDeadEvents() {
    return falseDeadEvents;
  }

  int falselySuspectedMembers() {
    return falselySuspected.size();
  }

  long falseSuspectEvents() {
    return falseSuspectEvents;
  }

  int live() {
    return live;
  }

  /** Node-milliseconds of running processes since the start: the denominator of per-node rates. */
  long liveNodeMillis() {
    return liveMillis + (long) live * (clock.now() - liveSinceMillis);
  }

  private void accumulateLiveTime() {
    liveMillis = liveNodeMillis();
    liveSinceMillis = clock.now();
  }
}
