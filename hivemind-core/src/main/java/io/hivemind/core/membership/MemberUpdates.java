package io.hivemind.core.membership;

import io.hivemind.api.MemberState;

/**
 * Applies the four dissemination updates (Alive, Suspect, Dead, Left) to the member table, with
 * SWIM's incarnation rules (SWIM §4.2) and Lifeguard's suspicion (Lifeguard §IV-B).
 *
 * <p>The ordering of updates about one member: a higher incarnation always wins; at equal
 * incarnation ALIVE &lt; SUSPECT &lt; DEAD &lt; LEFT, except that a member already DEAD or LEFT is
 * only revived by ALIVE with a higher incarnation and DEAD never replaces LEFT (a leave is an
 * explicit statement, a death an inference). Only the member itself raises its incarnation, to
 * refute; every accepted update is passed on by gossip unless its caller says otherwise.
 *
 * <p>Updates arrive as records the codec has already checked (names, addresses, metadata bound; see
 * {@link GossipMember}), so nothing here can be malformed or throw.
 *
 * <p>Owned by the node's thread.
 */
final class MemberUpdates {

  /**
   * The furthest a claim about a member we know may run ahead of the incarnation we hold for it. A
   * member raises its incarnation by one per refutation or metadata change, and its refutations
   * spread within seconds, so a legitimate claim is a few steps ahead; 2^16 leaves room for a
   * member refuting once a second for 18 hours unheard. A claim beyond it is forged or corrupt:
   * accepted, it would move the member to an incarnation its own refutation could not be believed
   * above (one Suspect at 2^63−1 kept a live node DEAD for the 24 h of the reap timeout).
   */
  static final long MAX_INCARNATION_JUMP = 1L << 16;

  /**
   * The highest incarnation gossip may carry (checked by {@link WireDecoder}), about a member we do
   * not know yet as about any other. 2^62 leaves 2^62 refutations of headroom below {@code
   * Long.MAX_VALUE}, so whatever a message claims, the member can still outrank it; with the jump
   * bound above an attacker would need 2^46 accepted claims to climb there.
   */
  static final long MAX_INCARNATION = 1L << 62;

  private final NodeContext ctx;

  /** The last other address an Alive about our own name came from, and how often it did. */
  private Address selfClaimant;

  private int selfClaims;

  MemberUpdates(NodeContext ctx) {
    this.ctx = ctx;
  }

  /**
   * An Alive update (a join, a refutation, or a metadata change). The state {@code member} carries
   * is not read: an Alive says ALIVE.
   */
  void alive(GossipMember member, boolean rebroadcast) {
    NodeState node = ctx.table.get(member.name());
    if (node != null && !withinReach(node, member.incarnation())) {
      return;
    }
    if (node != null && ctx.isSelf(node)) {
      aliveAboutSelf(member);
      return;
    }
    if (node != null && member.incarnation() <= node.incarnation) {
      return;
    }
    if (node != null && node.isActive() && !node.hasAddress(member.address())) {
      // A live member does not move: another process claims its name (memberlist "conflicting
      // address"). The established one keeps it; the newcomer is refused while it lives.
      nameConflict(node, member.address());
      return;
    }
    if (node == null) {
      if (ctx.table.size() >= ctx.config.maxMembers()) {
        ctx.stats.membersRefused++;
        return;
      }
      node =
          new NodeState(
              member.name(), member.address(), member.incarnation(), MemberState.ALIVE, ctx.now);
      node.setMeta(member.roles(), member.tags(), member.zone());
      ctx.table.add(node);
      ctx.emit(MembershipEvent.Type.MEMBER_JOINED, node);
    } else {
      revive(node, member);
    }
    if (rebroadcast) {
      ctx.broadcast(node.name, new GossipMessage.Alive(node.gossip()));
    }
  }

  private void revive(NodeState node, GossipMember member) {
    MemberState before = node.state;
    boolean metaChanged = !node.describedBy(member);
    node.cancelSuspicion();
    node.cancelReap();
    node.incarnation = member.incarnation();
    node.setAddress(member.address());
    node.setMeta(member.roles(), member.tags(), member.zone());
    if (before != MemberState.ALIVE) {
      ctx.table.setState(node, MemberState.ALIVE, ctx.now);
    }
    ctx.verdicts.alive(node);
    switch (before) {
      case DEAD, LEFT -> ctx.emit(MembershipEvent.Type.MEMBER_JOINED, node);
      case SUSPECT -> ctx.emit(MembershipEvent.Type.MEMBER_RECOVERED, node);
      case ALIVE -> {
        if (metaChanged) {
          ctx.emit(MembershipEvent.Type.MEMBER_UPDATED, node);
        }
      }
    }
  }

  /**
   * Someone gossips an Alive about us with an incarnation at or above ours that is not ours: a
   * record of a previous life (we restarted). Take an incarnation above it so ours wins.
   */
  private void aliveAboutSelf(GossipMember member) {
    NodeState self = ctx.self;
    if (ctx.leaving || member.incarnation() < self.incarnation) {
      return;
    }
    // Same incarnation is only ours if it says what we say (memberlist aliveNode): a restart with
    // another address or metadata starts again at the incarnation the cluster still holds.
    // Compared by value: comparing encodings made processes refute each other forever when their
    // roles were listed in different orders (each refutation came back as "not ours").
    if (member.incarnation() == self.incarnation && self.describedBy(member)) {
      return;
    }
    if (!self.hasAddress(member.address())) {
      noteSelfClaimant(member.address());
    }
    refute(member.incarnation());
  }

  /**
   * An Alive about our name from {@code other}. Once may be a previous life of this process at
   * another address; the same address again means another agent runs with our name.
   */
  private void noteSelfClaimant(Address other) {
    if (other.equals(selfClaimant)) {
      selfClaims++;
    } else {
      selfClaimant = other;
      selfClaims = 1;
    }
    if (selfClaims >= 2) {
      nameConflict(ctx.self, other);
    }
  }

  private void nameConflict(NodeState established, Address other) {
    ctx.stats.nameConflicts++;
    ctx.output.onEvent(
        new MembershipEvent(MembershipEvent.Type.NAME_CONFLICT, ctx.snapshot(established), other));
  }

  /** A Suspect update: {@code from} failed to probe {@code name} at {@code incarnation}. */
  void suspect(String name, long incarnation, String from, boolean rebroadcast) {
    NodeState node = ctx.table.get(name);
    if (node == null || incarnation < node.incarnation || !withinReach(node, incarnation)) {
      return;
    }
    if (ctx.isSelf(node)) {
      if (!ctx.leaving) {
        // Lifeguard §IV-A: being suspected hints that our own links or CPU are the problem.
        ctx.health.apply(1);
        refute(incarnation);
      }
      return;
    }
    switch (node.state) {
      case SUSPECT -> confirm(node, from, rebroadcast);
      case ALIVE -> startSuspicion(node, incarnation, from, rebroadcast);
      case DEAD, LEFT -> {
        // Only a higher-incarnation Alive revives a dead or departed member.
      }
    }
  }

  private void confirm(NodeState node, String from, boolean rebroadcast) {
    Suspicion suspicion = node.suspicion;
    if (suspicion == null || !suspicion.confirm(from)) {
      return;
    }
    armSuspicionTimer(node);
    if (rebroadcast) {
      ctx.broadcast(node.name, new GossipMessage.Suspect(node.name, node.incarnation, from));
    }
  }

  private void startSuspicion(NodeState node, long incarnation, String from, boolean rebroadcast) {
    int members = ctx.table.activeCount();
    int expected = ctx.config.suspicionConfirmations();
    if (members - 2 < expected) {
      // Too few members to ever confirm: don't wait for confirmations that cannot come.
      expected = 0;
    }
    node.incarnation = incarnation;
    ctx.table.setState(node, MemberState.SUSPECT, ctx.now);
    node.suspicion =
        new Suspicion(
            from,
            expected,
            ctx.config.suspicionMinTimeoutMillis(members),
            ctx.config.suspicionMaxTimeoutMillis(members),
            ctx.now);
    armSuspicionTimer(node);
    ctx.stats.suspicions++;
    ctx.emit(MembershipEvent.Type.MEMBER_SUSPECTED, node);
    if (rebroadcast) {
      ctx.broadcast(node.name, new GossipMessage.Suspect(node.name, incarnation, from));
    }
  }

  private void armSuspicionTimer(NodeState node) {
    Suspicion suspicion = node.suspicion;
    long incarnation = node.incarnation;
    suspicion.arm(
        ctx.timers.schedule(
            suspicion.deadlineMillis(), () -> suspicionExpired(node, suspicion, incarnation)));
  }

  private void suspicionExpired(NodeState node, Suspicion suspicion, long incarnation) {
    if (node.suspicion == suspicion && node.incarnation == incarnation) {
      dead(node.name, incarnation, ctx.name(), true);
    }
  }

  /** A Dead update: {@code from} declared {@code name} failed at {@code incarnation}. */
  void dead(String name, long incarnation, String from, boolean rebroadcast) {
    NodeState node = ctx.table.get(name);
    if (node == null
        || incarnation < node.incarnation
        || !node.isActive()
        || !withinReach(node, incarnation)) {
      return;
    }
    if (ctx.isSelf(node)) {
      declaredGone(incarnation);
      return;
    }
    end(node, incarnation, MemberState.DEAD, deadReapMillis(node));
    ctx.emit(MembershipEvent.Type.MEMBER_FAILED, node);
    if (rebroadcast) {
      ctx.broadcast(name, new GossipMessage.Dead(name, incarnation, from));
    }
  }

  /**
   * How long a DEAD member is remembered: the reap timeout; but while the table is at least half
   * full, a member that never answered a probe of ours nor sent us a packet only as long as we
   * gossip to the dead. Such a member may be made up (forged Alives); remembered for 24 hours,
   * thousands of them would hold the table at its bound. Below half the bound nothing is under
   * pressure, and a real member that died before it reached us is remembered as long as any other.
   */
  private long deadReapMillis(NodeState node) {
    long reap = ctx.config.deadReapTimeout().toMillis();
    boolean pressed = ctx.table.size() >= ctx.config.maxMembers() / 2;
    if (node.confirmed() || !pressed) {
      return reap;
    }
    return Math.min(reap, ctx.config.gossipToTheDeadTime().toMillis());
  }

  /** A Left update: {@code name} announced a graceful leave at {@code incarnation}. */
  void left(String name, long incarnation, boolean rebroadcast) {
    NodeState node = ctx.table.get(name);
    if (node == null
        || incarnation < node.incarnation
        || node.state == MemberState.LEFT
        || !withinReach(node, incarnation)) {
      return;
    }
    if (ctx.isSelf(node)) {
      declaredGone(incarnation);
      return;
    }
    end(node, incarnation, MemberState.LEFT, ctx.config.leftReapTimeout().toMillis());
    ctx.emit(MembershipEvent.Type.MEMBER_LEFT, node);
    if (rebroadcast) {
      ctx.broadcast(name, new GossipMessage.Left(name, incarnation));
    }
  }

  /**
   * The cluster says we are dead or gone while we run ("undead"). Refute with a higher incarnation
   * and tell the layers above, which drop the state they owned and rejoin.
   */
  private void declaredGone(long incarnation) {
    if (ctx.leaving) {
      return;
    }
    ctx.health.apply(1);
    refute(incarnation);
    ctx.emit(MembershipEvent.Type.LOCAL_DECLARED_DEAD, ctx.self);
  }

  /**
   * Whether a claim at {@code incarnation} about {@code node} is within {@link
   * #MAX_INCARNATION_JUMP} of what we hold; a claim beyond it is dropped and counted. About
   * ourselves the bound is one tighter, so that our refutation at claim + 1 is itself within the
   * jump of what the others held before the claim: a node that never saw the claim still believes
   * the refutation.
   */
  private boolean withinReach(NodeState node, long incarnation) {
    long reach = ctx.isSelf(node) ? MAX_INCARNATION_JUMP - 1 : MAX_INCARNATION_JUMP;
    if (incarnation - node.incarnation <= reach) {
      return true;
    }
    ctx.stats.countDrop(DropReason.INCARNATION_JUMP);
    return false;
  }

  /** Raises our incarnation above {@code accused} and gossips that we are alive (SWIM §4.2). */
  void refute(long accused) {
    NodeState self = ctx.self;
    if (accused >= MAX_INCARNATION) {
      // No record can carry more (WireDecoder), so none needs outranking; and refusing here keeps
      // our incarnation where every member still accepts it, far below Long.MAX_VALUE.
      return;
    }
    self.incarnation = Math.max(self.incarnation, accused) + 1;
    ctx.stats.refutations++;
    ctx.broadcast(self.name, new GossipMessage.Alive(self.gossip()));
  }

  /**
   * Moves a member to DEAD or LEFT and arranges for it to be forgotten after {@code reapMillis}.
   */
  private void end(NodeState node, long incarnation, MemberState state, long reapMillis) {
    node.cancelSuspicion();
    node.incarnation = incarnation;
    ctx.table.setState(node, state, ctx.now);
    scheduleReap(node, reapMillis);
  }

  private void scheduleReap(NodeState node, long afterMillis) {
    node.cancelReap();
    MemberState state = node.state;
    long incarnation = node.incarnation;
    node.reapTimer =
        ctx.timers.schedule(
            ctx.now + afterMillis,
            () -> {
              NodeState current = ctx.table.get(node.name);
              if (current == node && node.state == state && node.incarnation == incarnation) {
                ctx.table.remove(node);
                ctx.verdicts.forget(node.name);
                ctx.emit(MembershipEvent.Type.MEMBER_REAPED, node);
              }
            });
  }

  /**
   * The control plane committed that {@code name} failed (or left) at {@code incarnation}: apply it
   * as an authoritative Dead (Left) and gossip it, unless a higher incarnation is already known
   * (the member refuted after the decision's observations; the control plane hears it too). About
   * ourselves: we were removed while running, so refute and tell the layers above to rejoin.
   *
   * @return whether the local view changed
   */
  boolean committedRemoval(String name, long incarnation, boolean left) {
    NodeState node = ctx.table.get(name);
    if (node == null) {
      return false;
    }
    if (ctx.isSelf(node)) {
      // Removed from the registry: whatever our incarnation, we are no longer a member.
      declaredGone(Math.max(incarnation, node.incarnation));
      return true;
    }
    if (incarnation < node.incarnation) {
      return false;
    }
    ctx.verdicts.forget(name);
    MemberState before = node.state;
    if (left) {
      left(name, incarnation, true);
    } else {
      dead(name, incarnation, ctx.name(), true);
    }
    return node.state != before;
  }

  /** Announces a change of our own roles, tags or zone. */
  void announceSelf() {
    NodeState self = ctx.self;
    self.incarnation++;
    ctx.broadcast(self.name, new GossipMessage.Alive(self.gossip()));
  }
}
