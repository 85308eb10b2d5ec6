package io.hivemind.core.partition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One planning round of the control plane's migrations (issue 13): from the committed serving
 * table, its moves in flight and the admitted members (some of them draining), the next serving
 * table and moves in flight. A pure function, run by the leader's duty off the apply thread.
 *
 * <p>Steps:
 *
 * <ol>
 *   <li>Members no longer admitted leave the serving table ({@link PartitionTable#withoutMembers}:
 *       their first surviving backup is promoted, no data moved).
 *   <li>A move in flight stays while it still leads to the target: its destination is admitted, in
 *       the target and not yet a replica, its source (if any) is still a replica the target drops,
 *       and the destination conflicts with no other replica (anti-affinity holds when it lands).
 *       Any other move in flight is dropped and replanned.
 *   <li>Target = {@link PartitionAssigner#next} from the serving table over the admitted members
 *       that are not draining, so a draining member is given nothing and everything moves off it.
 *   <li>Per partition with no move in flight, from {@link MigrationPlanner}'s plan: drops apply at
 *       once (a drop leaves exactly the target's count), and a partition whose replicas are then
 *       the target's takes the target's order (a role change, no data moved); otherwise the plan's
 *       first copy move starts, in plan order (fills, then the least replicated first), while fewer
 *       than {@code maxInFlight} moves are in flight cluster-wide. A move only for balance (its
 *       source stays and conflicts with no one) starts only if it narrows its two members' gap, so
 *       replanning a table in motion cannot move a replica back and forth.
 * </ol>
 *
 * <p>Invariants: a destination becomes a replica only when its move completes ({@code
 * CompleteMoves}), replacing its source in one step (copy before drop), so no move lowers a
 * partition's replica count; at most one move per partition; deterministic (same inputs, same
 * round). Repeated rounds with every move completed converge to the target with no move in flight.
 */
public final class MigrationRound {

  /**
   * Moves in flight cluster-wide by default: 512, not the 64 first planned. Each round costs a
   * committed table (about 33 KB at P = 16,384) and a completion, and the leader commits about one
   * round a second on a busy machine, so at 64 a fourth member joining 3 (8,192 copies) had not
   * converged after 3 minutes in PartitionTableIT with no data at all; 512 took 16 rounds, and a
   * drain of 16,384 replicas 25 s at a round a second; 2,048 takes a quarter of the rounds. Each
   * owner's data plane bounds its own parallel streams ({@code StateConfig.maxParallelStreams}), so
   * this bound limits table churn more than copy traffic.
   */
  public static final int DEFAULT_MAX_IN_FLIGHT = 2048;

  private MigrationRound() {}

  /**
   * The next round's serving table and moves in flight.
   *
   * @param serving the committed serving table, or null before the first (no data yet: the first
   *     table is the assigner's, committed directly)
   * @param inFlight the moves in flight with it
   * @param members the admitted members
   * @param draining ids of admitted members asking to leave the table
   * @param partitionCount P, for the first table
   * @param backupCount B, for the first table
   * @param maxInFlight most moves in flight at once, at least 1
   */
  // Justification: the round's inputs are the committed state's parts plus two settings.
  public static Result next(
      PartitionTable serving,
      List<PartitionMove> inFlight,
      Collection<PartitionMember> members,
      Set<String> draining,
      int partitionCount,
      int backupCount,
      int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("max moves in flight must be >= 1: " + maxInFlight);
    }
    List<PartitionMember> sorted = new ArrayList<>(members);
    sorted.sort(PartitionTable.BY_ID);
    List<PartitionMember> targetMembers = targetMembers(sorted, draining);
    if (serving == null) {
      return new Result(
          PartitionAssigner.initial(targetMembers, partitionCount, backupCount).table(), List.of());
    }
    return new Planning(serving, sorted, targetMembers, maxInFlight).run(inFlight);
  }

  /** The members that may hold replicas: all when every one drains (there is nowhere to go). */
  private static List<PartitionMember> targetMembers(
      List<PartitionMember> sorted, Set<String> draining) {
    List<PartitionMember> staying =
        sorted.stream().filter(m -> !draining.contains(m.id())).toList();
    return staying.isEmpty() ? sorted : staying;
  }

  /**
   * A round's outcome.
   *
   * @param table the next serving table: the serving table's version plus one, or the same table
   *     when nothing changed
   * @param inFlight the moves in flight with it, in start order
   */
  public record Result(PartitionTable table, List<PartitionMove> inFlight) {
    public Result {
      inFlight = List.copyOf(inFlight);
    }

    /** Whether this round changes the committed {@code serving} table (null before the first). */
    public boolean changes(PartitionTable serving) {
      return serving == null || table.version() != serving.version();
    }
  }

  /** One round's working state. */
  private static final class Planning {
    private final PartitionTable serving;
    private final List<PartitionMember> members;
    private final Map<String, PartitionMember> byId = new HashMap<>();
    private final List<PartitionMember> targetMembers;
    private final int maxInFlight;
    private final List<List<String>> replicas = new ArrayList<>();
    private final List<PartitionMove> kept = new ArrayList<>();
    private final Set<Integer> busy = new HashSet<>();
    private final Map<String, Integer> load = new HashMap<>();
    private final Set<String> staying = new HashSet<>();

    Planning(
        PartitionTable serving,
        List<PartitionMember> members,
        List<PartitionMember> targetMembers,
        int maxInFlight) {
      this.serving = serving;
      this.members = members;
      this.targetMembers = targetMembers;
      this.maxInFlight = maxInFlight;
      members.forEach(m -> byId.put(m.id(), m));
      targetMembers.forEach(m -> staying.add(m.id()));
    }

    Result run(List<PartitionMove> inFlight) {
      PartitionTable base = base();
      PartitionTable target = PartitionAssigner.next(base, targetMembers).table();
      FailureDomains rule = FailureDomains.of(members);
      for (PartitionMove move : inFlight) {
        if (stillLeads(move, target, rule) && busy.add(move.partition())) {
          kept.add(move);
        }
      }
      MigrationPlan plan = MigrationPlanner.plan(base, target);
      applyDropsAndRoles(plan, target);
      countLoad();
      startCopies(plan, rule, target.failureDomains());
      return finish(inFlight);
    }

    /** The serving table without the members no longer admitted, naming every admitted member. */
    private PartitionTable base() {
      Set<String> gone = new HashSet<>(serving.membersById().keySet());
      gone.removeAll(byId.keySet());
      for (List<String> list : serving.withoutMembers(gone).replicas()) {
        replicas.add(new ArrayList<>(list));
      }
      return table(serving.version());
    }

    private boolean stillLeads(PartitionMove move, PartitionTable target, FailureDomains rule) {
      int p = move.partition();
      // A partition with no replica left has no owner to stream from: it is lost, not moved.
      if (p >= replicas.size() || move.destination() == null || replicas.get(p).isEmpty()) {
        return false;
      }
      List<String> now = replicas.get(p);
      List<String> wanted = target.replicas().get(p);
      String source = move.source();
      PartitionMember destination = byId.get(move.destination());
      boolean sourceOk =
          source == null
              ? now.size() < wanted.size()
              : now.contains(source) && !wanted.contains(source);
      return sourceOk
          && destination != null
          && wanted.contains(destination.id())
          && landsSafely(move, rule);
    }

    /**
     * Whether the destination, replacing the source, would share a failure domain with no other
     * replica: a move must never make a table the anti-affinity rule forbids.
     */
    private boolean landsSafely(PartitionMove move, FailureDomains rule) {
      List<String> now = replicas.get(move.partition());
      PartitionMember destination = byId.get(move.destination());
      return !now.contains(destination.id())
          && now.stream()
              .filter(id -> !id.equals(move.source()))
              .noneMatch(id -> rule.conflict(byId.get(id), destination));
    }

    private void applyDropsAndRoles(MigrationPlan plan, PartitionTable target) {
      for (PartitionMove move : plan.moves()) {
        if (!move.copies() && !busy.contains(move.partition())) {
          replicas.get(move.partition()).remove(move.source());
        }
      }
      for (int p = 0; p < replicas.size(); p++) {
        List<String> wanted = target.replicas().get(p);
        // A partition whose every replica went is lost (no copy survives to stream from): it
        // restarts empty on its target replicas at once, like Hazelcast's "partition lost".
        boolean lost = replicas.get(p).isEmpty();
        if (lost
            || !busy.contains(p) && new HashSet<>(wanted).equals(new HashSet<>(replicas.get(p)))) {
          replicas.set(p, new ArrayList<>(wanted));
        }
      }
    }

    private void startCopies(MigrationPlan plan, FailureDomains rule, FailureDomains targetRule) {
      for (PartitionMove move : plan.moves()) {
        if (kept.size() >= maxInFlight) {
          return;
        }
        if (move.copies()
            && !busy.contains(move.partition())
            && landsSafely(move, rule)
            && (required(move, targetRule) || narrows(move))) {
          busy.add(move.partition());
          kept.add(move);
          shift(move);
        }
      }
    }

    /** Replicas per member once the moves in flight land: what a balance move is judged by. */
    private void countLoad() {
      for (List<String> list : replicas) {
        list.forEach(id -> load.merge(id, 1, Integer::sum));
      }
      kept.forEach(this::shift);
    }

    private void shift(PartitionMove move) {
      load.merge(move.destination(), 1, Integer::sum);
      if (move.source() != null) {
        load.merge(move.source(), -1, Integer::sum);
      }
    }

    /**
     * Whether a move is needed for more than balance: a fill, a move off a member that leaves the
     * table (draining), or one that ends a failure-domain conflict of its source.
     */
    private boolean required(PartitionMove move, FailureDomains targetRule) {
      if (move.source() == null || !staying.contains(move.source())) {
        return true;
      }
      PartitionMember source = byId.get(move.source());
      return replicas.get(move.partition()).stream()
          .filter(id -> !id.equals(move.source()))
          .anyMatch(id -> targetRule.conflict(byId.get(id), source));
    }

    /**
     * Whether a balance move narrows the gap between its two members. Hysteresis: the target is
     * replanned every round from a table still in motion, and without this the assigner may move a
     * replica back and forth between two members whose shares differ by one (seen in the model
     * test), so the migration would never end.
     */
    private boolean narrows(PartitionMove move) {
      return load.getOrDefault(move.source(), 0) - load.getOrDefault(move.destination(), 0) >= 2;
    }

    /** The serving table itself when nothing changed, else the next version. */
    private Result finish(List<PartitionMove> inFlight) {
      PartitionTable next = table(serving.version());
      boolean same =
          next.replicas().equals(serving.replicas())
              && next.members().equals(serving.members())
              && new HashSet<>(kept).equals(new HashSet<>(inFlight));
      return same ? new Result(serving, kept) : new Result(table(serving.version() + 1), kept);
    }

    private PartitionTable table(long version) {
      return new PartitionTable(
          version, serving.partitionCount(), serving.backupCount(), members, replicas);
    }
  }
}
