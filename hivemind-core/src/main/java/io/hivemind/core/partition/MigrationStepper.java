package io.hivemind.core.partition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link MigrationPlan} as a pure state machine, owned by one thread (the control plane's
 * applier): {@link #start()} says which moves to begin, {@link #complete} applies one that has
 * finished, {@link #current()} is the replica sets serving now.
 *
 * <p>Invariants: at most {@code maxParallel} moves in flight and at most one per partition; a
 * destination becomes a replica only on completion, in the same step that drops its source (copy
 * before drop), so a partition's replica count never falls while its moves run; once a partition's
 * last move completes (at once if it has none) its replicas take the target's order (the owner
 * switch, no data moved).
 */
public final class MigrationStepper {

  private final PartitionTable to;
  private final int maxParallel;
  private final List<PartitionMember> members;
  private final List<List<String>> actual;
  private final LinkedList<PartitionMove> pending;
  private final Set<PartitionMove> inFlight = new LinkedHashSet<>();
  private final Set<Integer> busy = new HashSet<>();
  private final Map<Integer, Integer> remaining = new HashMap<>();

  /**
   * A stepper at the start of a plan.
   *
   * @param plan the plan
   * @param maxParallel most moves in flight at once, at least 1
   */
  public MigrationStepper(MigrationPlan plan, int maxParallel) {
    if (maxParallel < 1) {
      throw new IllegalArgumentException("max parallel moves must be >= 1: " + maxParallel);
    }
    this.to = plan.to();
    this.maxParallel = maxParallel;
    Map<String, PartitionMember> union = new HashMap<>(plan.from().membersById());
    union.putAll(to.membersById());
    List<PartitionMember> sorted = new ArrayList<>(union.values());
    sorted.sort(PartitionTable.BY_ID);
    this.members = List.copyOf(sorted);
    this.actual = new ArrayList<>();
    for (List<String> list : plan.from().replicas()) {
      actual.add(new ArrayList<>(list));
    }
    this.pending = new LinkedList<>(plan.moves());
    for (PartitionMove move : pending) {
      remaining.merge(move.partition(), 1, Integer::sum);
    }
    // A partition the plan does not touch changes at most its owner among its replicas: a role
    // change, which needs no data and so takes effect with the table.
    for (int p = 0; p < actual.size(); p++) {
      if (!remaining.containsKey(p)) {
        adoptTargetOrder(p);
      }
    }
  }

  /** Starts as many pending moves as the bounds allow, in plan order; returns them. */
  public List<PartitionMove> start() {
    List<PartitionMove> started = new ArrayList<>();
    Iterator<PartitionMove> it = pending.iterator();
    while (inFlight.size() < maxParallel && it.hasNext()) {
      PartitionMove move = it.next();
      if (busy.add(move.partition())) {
        it.remove();
        inFlight.add(move);
        started.add(move);
      }
    }
    return started;
  }

  /**
   * Applies a finished move: the destination (caught up) becomes a replica and the source is
   * dropped, in one step.
   *
   * @throws IllegalArgumentException if the move is not in flight
   */
  public void complete(PartitionMove move) {
    if (!inFlight.remove(move)) {
      throw new IllegalArgumentException("move not in flight: " + move);
    }
    List<String> list = actual.get(move.partition());
    int at = move.source() == null ? -1 : list.indexOf(move.source());
    if (move.destination() == null) {
      list.remove(move.source());
    } else if (at >= 0) {
      list.set(at, move.destination());
    } else {
      list.add(move.destination());
    }
    finish(move.partition());
  }

  /** Gives up on a move in flight (its destination failed); it goes back to the front. */
  public void abort(PartitionMove move) {
    if (!inFlight.remove(move)) {
      throw new IllegalArgumentException("move not in flight: " + move);
    }
    busy.remove(move.partition());
    pending.addFirst(move);
  }

  /** Whether every move has completed. */
  public boolean done() {
    return pending.isEmpty() && inFlight.isEmpty();
  }

  /** The moves in flight. */
  public List<PartitionMove> inFlight() {
    return List.copyOf(inFlight);
  }

  /** Replicas serving now: the target's version, the old and new tables' members. */
  public PartitionTable current() {
    return new PartitionTable(to.version(), to.partitionCount(), to.backupCount(), members, actual);
  }

  /** Replicas partition {@code p} has now. */
  public int replicaCount(int p) {
    return actual.get(p).size();
  }

  private void finish(int p) {
    busy.remove(p);
    if (remaining.merge(p, -1, Integer::sum) > 0) {
      return;
    }
    remaining.remove(p);
    adoptTargetOrder(p);
  }

  private void adoptTargetOrder(int p) {
    List<String> target = to.replicas().get(p);
    if (new HashSet<>(target).equals(new HashSet<>(actual.get(p)))) {
      actual.set(p, new ArrayList<>(target));
    }
  }
}
