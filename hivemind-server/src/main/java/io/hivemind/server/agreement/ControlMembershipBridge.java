package io.hivemind.server.agreement;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEvent;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.Observation;
import io.hivemind.core.control.RemovalReason;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.server.control.AdmissionRefusedException;
import io.hivemind.server.control.AdmissionRequests;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.control.NodeIdentity;
import io.hivemind.server.control.ObservationBatcher;
import io.hivemind.server.loop.DriverLoop;
import io.hivemind.server.membership.MembershipService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties one agent's membership to the control plane: it asks for admission and keeps asking until
 * the answer is final, reports the node's own probe verdicts for the removal rule, applies
 * committed removals to the gossip view (so the cluster agrees sooner than gossip alone would),
 * commits a graceful leave before it spreads, and notices when the cluster removed this node (its
 * epoch is stale): the node then drops its admission, draws a new id and rejoins as a new member.
 *
 * <p>Owning thread: the membership service's loop (no thread of its own: a plain agent's footprint
 * stays); committed views and answers are handed to it, so the fields below are touched by that
 * thread only. Its work there is a few map lookups per view and per probe verdict.
 */
public final class ControlMembershipBridge implements AutoCloseable {

  /** Where this node stands with the control plane, as {@code hivemind status} shows it. */
  public enum Admission {
    /** No control node is known yet: gossip-only membership. */
    NO_CONTROL_PLANE,
    /** A request is on its way, or will be retried (no quorum yet). */
    REQUESTING,
    /** The leader refused because roles this node requires are not in the cluster yet. */
    WAITING_FOR_ROLES,
    /** Admitted: the registry lists this node's id. */
    ADMITTED,
    /** Refused for a reason retrying will not fix soon (wrong token, a live namesake). */
    REFUSED,
    /** Leaving: the removal was committed, or tried. */
    LEFT
  }

  /** What the admission and its detail look like now; immutable. */
  public record AdmissionStatus(Admission admission, String memberId, String detail) {}

  /** First retry of an admission without quorum; doubles up to {@link #MAX_RETRY}. */
  static final Duration MIN_RETRY = Duration.ofMillis(500);

  /** The second rejoin's wait after the cluster removed this node again; doubles each time. */
  static final Duration REJOIN_BACKOFF_BASE = Duration.ofSeconds(15);

  /** The longest a removed node waits before asking to rejoin (the clients' back-off cap). */
  static final Duration REJOIN_BACKOFF_MAX = Duration.ofMinutes(5);

  /** Control nodes are few and come back quickly; a joining node should not sleep for minutes. */
  static final Duration MAX_RETRY = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(ControlMembershipBridge.class);

  private final MembershipService membership;
  private final ControlPlane plane;
  private final NodeIdentity identity;
  private final AdmissionRequests requests;
  private final Clock clock;
  private final DriverLoop loop;
  private volatile boolean closed;
  private final List<Consumer<AdmissionStatus>> listeners = new ArrayList<>();

  private final ObservationBatcher observations;
  private Map<String, ControlMember> lastMembers = Map.of();
  private long lastIndex = -1;
  private int removalsOfSelf;
  private boolean admitted;

  /** The log index this node's admission committed at (or was first seen at). */
  private long admittedAtIndex;

  private boolean requestInFlight;

  /**
   * An ID_REUSED refusal is being confirmed against the replica (onIdReused): no admission is asked
   * meanwhile. Another request with the old id would be refused too, and its answer, arriving after
   * the id was renewed, renewed the new one as well, leaving the middle id admitted with nobody
   * running it (a restarted agent in the 10-agent benchmark; migrations to it stalled for minutes).
   */
  private boolean confirmingRefusal;

  /**
   * An admission was due while a request was out or a refusal was being confirmed: asked once that
   * ends, so a rejoin scheduled meanwhile (a removal renews the id and asks) is not lost.
   */
  private boolean askWhenFree;

  private boolean leaving;
  private long retryDelayMillis = MIN_RETRY.toMillis();
  private volatile AdmissionStatus status;

  /**
   * @param requests builds this node's admission command (candidate, required roles, join proof)
   */
  public ControlMembershipBridge(
      MembershipService membership,
      ControlPlane plane,
      NodeIdentity identity,
      AdmissionRequests requests,
      Clock clock) {
    this.membership = Objects.requireNonNull(membership, "membership");
    this.plane = Objects.requireNonNull(plane, "plane");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.requests = Objects.requireNonNull(requests, "requests");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.loop = membership.loop();
    this.status = new AdmissionStatus(Admission.NO_CONTROL_PLANE, identity.id(), "");
    this.observations =
        new ObservationBatcher(
            plane,
            membership.loop(),
            ObservationBatcher.DEFAULT_INTERVAL,
            ObservationBatcher.DEFAULT_MAX_BATCH);
  }

  /** Starts listening and asking; returns at once. */
  public void start() {
    membership.addListener(event -> onLoop(() -> onMembershipEvent(event)));
    plane.addListener(view -> onLoop(() -> onView(view)));
    onLoop(() -> onView(plane.view()));
    onLoop(this::requestAdmission);
  }

  public AdmissionStatus status() {
    return status;
  }

  /** Calls {@code listener} (on the bridge's thread) whenever the admission status changes. */
  public void addListener(Consumer<AdmissionStatus> listener) {
    onLoop(() -> listeners.add(listener));
  }

  /**
   * Commits this node's leave before the gossip LEFT spreads (issue 10: leaves are committed
   * first). Completes when committed, or when {@code timeout} ran out or there is no quorum (the
   * leave then spreads by gossip alone and the control plane removes the node later).
   */
  public CompletableFuture<Void> commitLeave(Duration timeout) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    onLoop(
        () -> {
          leaving = true;
          if (!admitted) {
            done.complete(null);
            return;
          }
          ControlCommand leave =
              new ControlCommand.RemoveMember(identity.id(), RemovalReason.LEFT, List.of());
          plane
              .submit(leave)
              .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .whenComplete(
                  (result, failure) -> {
                    if (failure != null) {
                      log.warn(
                          "leave not committed ({}); it spreads by gossip alone",
                          describe(failure));
                    }
                    onLoop(() -> setStatus(Admission.LEFT, "left the cluster", identity.id()));
                    done.complete(null);
                  });
        });
    return done;
  }

  // ---- admission ------------------------------------------------------------------------------

  private void requestAdmission() {
    if (admitted || leaving || closed) {
      return;
    }
    if (requestInFlight || confirmingRefusal) {
      askWhenFree = true;
      return;
    }
    if (plane.status().peers().isEmpty() && plane.status().degraded()) {
      setStatus(
          Admission.NO_CONTROL_PLANE,
          "no control node known yet: membership is gossip-only until one is",
          identity.id());
      retryLater();
      return;
    }
    requestInFlight = true;
    String requestedId = identity.id();
    ControlCommand admit = requests.admit(requestedId, membership.advertisedAddress());
    plane
        .submit(admit)
        .whenComplete(
            (result, failure) ->
                onLoop(
                    () -> {
                      requestInFlight = false;
                      onAdmissionAnswer(requestedId, result, failure);
                    }));
  }

  private void onAdmissionAnswer(String requestedId, ApplyResult result, Throwable failure) {
    if (!requestedId.equals(identity.id())) {
      // Asked with an id this node has renewed since (it was removed meanwhile): whatever the
      // answer, it is about an id nobody uses now; the new id asks for itself.
      log.debug("ignored the answer to the admission of former id {}", requestedId);
      askIfDue();
      return;
    }
    askWhenFree = false; // this answer decides what comes next
    if (admitted) {
      // A committed view showed this node admitted while the request was out (onView): its answer,
      // even a failure (the gateway closes a removed node's old connection, taking the answer
      // with it), is stale. Acting on it set the status back to REQUESTING, and requestAdmission,
      // which never asks twice once admitted, left it there (RemovalIT, about 1 run in 10).
      return;
    }
    if (failure != null) {
      Throwable cause = unwrap(failure);
      if (cause instanceof AdmissionRefusedException refused) {
        // The gateway's own checks (token, cluster, environment): final until the config changes.
        setStatus(Admission.REFUSED, refused.getMessage(), identity.id());
        log.error("admission refused: {}", refused.getMessage());
        retryDelayMillis = MAX_RETRY.toMillis();
      } else {
        setStatus(Admission.REQUESTING, "waiting for a quorum: " + describe(cause), identity.id());
      }
      retryLater();
      return;
    }
    if (result instanceof ApplyResult.Applied) {
      onAdmitted(result.index());
      if (lastIndex >= result.index() && !lastMembers.containsKey(identity.id())) {
        // A view after the admission already lacked us: admitted and removed between two views
        // this node saw (a busy node's views come in batches), so no view diff will show it.
        removedSelf(identity.id());
      }
      return;
    }
    ApplyResult.Refused refused = (ApplyResult.Refused) result;
    switch (refused.code()) {
      case ID_REUSED -> onIdReused(refused, requestedId);
      case NOT_BOOTSTRAPPED -> {
        // The group formed a moment ago; its leader writes the bootstrap entry next.
        setStatus(Admission.REQUESTING, refused.message(), identity.id());
        retryLater();
      }
      case ROLES_MISSING -> {
        setStatus(Admission.WAITING_FOR_ROLES, refused.message(), identity.id());
        log.info("waiting to be admitted: {}", refused.message());
        retryLater();
      }
      case NAME_TAKEN -> onNameTaken(refused);
      default -> {
        setStatus(Admission.REFUSED, refused.message(), identity.id());
        log.error("admission refused ({}): {}", refused.code(), refused.message());
        retryLater();
      }
    }
  }

  /**
   * The log refused our id as taken. Either the cluster removed it before (we were declared dead
   * while away), or an earlier request with it committed and its answer was lost (its gateway
   * connection dropped after proposing it), so this retry found us admitted already. Wait until
   * this node's replica has applied the refusal's index, then tell the two apart by the registry:
   * renewing the id in the second case would take this node's own name away from it.
   */
  private void onIdReused(ApplyResult.Refused refused, String refusedId) {
    confirmingRefusal = true;
    plane
        .awaitIndexAbove(refused.index() - 1)
        .whenComplete(
            (view, failure) ->
                onLoop(
                    () -> {
                      confirmingRefusal = false;
                      if (!refusedId.equals(identity.id()) && !admitted) {
                        askIfDue(); // renewed meanwhile (removed): the new id's ask was held
                        return;
                      }
                      if (admitted) {
                        return; // decided meanwhile (a view showed us admitted, or removed)
                      }
                      if (view == null) {
                        // Not confirmed (no quorum, or closing): renewing now could abandon an id
                        // the cluster did admit, a member nobody runs. Ask again later instead.
                        retryLater();
                        return;
                      }
                      if (memberById(view, refusedId) != null) {
                        onAdmitted(view.index());
                        return;
                      }
                      String next = identity.renew();
                      log.info(
                          "id {} was removed from the cluster before; rejoining as {}",
                          refusedId,
                          next);
                      retryDelayMillis = MIN_RETRY.toMillis();
                      requestAdmission();
                    }));
  }

  /** Asks for admission now if an ask was held back while a request or a confirmation ran. */
  private void askIfDue() {
    if (askWhenFree) {
      askWhenFree = false;
      requestAdmission();
    }
  }

  private static ControlMember memberById(ControlView view, String id) {
    for (ControlMember member : view.members()) {
      if (member.id().equals(id)) {
        return member;
      }
    }
    return null;
  }

  /**
   * Our name belongs to an admitted member. If that member has our address it is a previous life of
   * this node (the data directory was lost, so the id was too): it cannot still run, because this
   * process holds its port, so it is removed and we are admitted. Otherwise another live node has
   * our name: refused until it goes.
   */
  private void onNameTaken(ApplyResult.Refused refused) {
    ControlMember holder = memberNamed(plane.view(), membership.name());
    if (holder != null && holder.address().equals(membership.advertisedAddress())) {
      log.info(
          "name {} is held by {}, a previous life of this node at the same address; replacing it",
          holder.name(),
          holder.id());
      plane
          .submit(
              new ControlCommand.RemoveMember(
                  holder.id(), RemovalReason.FAILED, List.of(identity.id())))
          .whenComplete((r, f) -> onLoop(this::requestAdmission));
      return;
    }
    setStatus(Admission.REFUSED, refused.message(), identity.id());
    log.error("admission refused: {}; rename this node or stop the other one", refused.message());
    retryLater();
  }

  private void onAdmitted(long atIndex) {
    if (!admitted) {
      admitted = true;
      admittedAtIndex = atIndex;
      retryDelayMillis = MIN_RETRY.toMillis();
      setStatus(Admission.ADMITTED, "admitted", identity.id());
      log.info("admitted to the cluster as {} ({})", membership.name(), identity.id());
    }
  }

  /**
   * The first rejoin after a removal is immediate. A node removed again and again is a slow or
   * flaky node the cluster keeps agreeing to drop (Rapid's hard case): it waits 15 s, then 30 s,
   * ... up to 5 minutes before asking again, so the committed view changes a few times an hour for
   * it, not every few seconds.
   */
  static long rejoinDelayMillis(int removalsOfSelf) {
    if (removalsOfSelf <= 1) {
      return 0;
    }
    long delay = REJOIN_BACKOFF_BASE.toMillis() << Math.min(removalsOfSelf - 2, 10);
    return Math.min(delay, REJOIN_BACKOFF_MAX.toMillis());
  }

  private void scheduleAdmission(long delayMillis) {
    if (delayMillis <= 0) {
      onLoop(this::requestAdmission);
      return;
    }
    try {
      loop.schedule(this::requestAdmission, delayMillis);
    } catch (RejectedExecutionException e) {
      // the loop is shutting down with the agent
    }
  }

  private void retryLater() {
    if (closed) {
      return;
    }
    long delay = retryDelayMillis;
    retryDelayMillis = Math.min(retryDelayMillis * 2, MAX_RETRY.toMillis());
    try {
      loop.schedule(this::requestAdmission, delay);
    } catch (RejectedExecutionException e) {
      // the loop is shutting down with the agent: nothing left to ask
    }
  }

  // ---- committed views ------------------------------------------------------------------------

  private void onView(ControlView view) {
    if (view.index() <= lastIndex) {
      return;
    }
    lastIndex = view.index();
    Map<String, ControlMember> members = new HashMap<>();
    for (ControlMember member : view.members()) {
      members.put(member.id(), member);
    }
    if (!admitted && members.containsKey(identity.id())) {
      onAdmitted(view.index()); // a restart with the same id, or the answer overtaken by the feed
    } else if (admitted
        && view.index() >= admittedAtIndex
        && !members.containsKey(identity.id())
        && !lastMembers.containsKey(identity.id())) {
      // Admitted, then removed before any view this node saw listed it: the diff below cannot
      // show it, and the node would go on sure it is a member that no one lists.
      removedSelf(identity.id());
    }
    for (ControlMember gone : lastMembers.values()) {
      if (!members.containsKey(gone.id())) {
        boolean readmitted = memberNamed(view, gone.name()) != null;
        onRemoved(gone, leftByEvent(view, gone.name()), readmitted);
      }
    }
    lastMembers = members;
    if (!admitted && status.admission() == Admission.NO_CONTROL_PLANE && !requestInFlight) {
      requestAdmission(); // the first committed state arrived: a control plane exists now
    }
  }

  private static boolean leftByEvent(ControlView view, String name) {
    for (int i = view.events().size() - 1; i >= 0; i--) {
      ControlEvent event = view.events().get(i);
      if (event.subject().equals(name)) {
        if (event.type().equals(ControlEvent.MEMBER_LEFT)) {
          return true;
        }
        if (event.type().equals(ControlEvent.MEMBER_REMOVED)) {
          return false;
        }
      }
    }
    return false;
  }

  private void onRemoved(ControlMember gone, boolean left, boolean readmitted) {
    if (gone.id().equals(identity.id())) {
      removedSelf(gone.id());
      return;
    }
    if (readmitted) {
      return; // the same node rejoined under a new id: its gossip entry is its new life
    }
    Member known = memberNamed(membership.members(), gone.name());
    if (known == null || !known.address().equals(gone.address())) {
      return; // gossip knows another life under that name, or nothing: leave it to gossip
    }
    membership.applyCommittedRemoval(gone.name(), known.incarnation(), left);
  }

  /** Our epoch is stale: the cluster removed us (declared dead, or partitioned away too long). */
  private void removedSelf(String goneId) {
    if (leaving) {
      return;
    }
    admitted = false;
    removalsOfSelf++;
    String next = identity.renew();
    long delay = rejoinDelayMillis(removalsOfSelf);
    log.warn(
        "the cluster removed this node ({}); dropping its admission and rejoining as {} in {} ms",
        goneId,
        next,
        delay);
    setStatus(Admission.REQUESTING, "removed by the cluster; rejoining", next);
    retryDelayMillis = MIN_RETRY.toMillis();
    scheduleAdmission(delay);
  }

  // ---- observations ---------------------------------------------------------------------------

  private void onMembershipEvent(MembershipEvent event) {
    switch (event.type()) {
      case PROBE_FAILED -> observe(event.member(), Observation.Kind.SUSPECT, event.localHealth());
      case PROBE_ANSWERED -> observe(event.member(), Observation.Kind.ALIVE, event.localHealth());
      case LOCAL_JOINED -> onLoop(this::requestAdmission);
      default -> {}
    }
  }

  private void observe(Member subject, Observation.Kind kind, int localHealth) {
    if (!admitted) {
      return; // only admitted members count as observers
    }
    ControlMember member = memberNamed(plane.view(), subject.name());
    if (member == null || !member.address().equals(subject.address())) {
      return;
    }
    observations.report(
        new Observation(
            identity.id(),
            member.id(),
            member.name(),
            subject.incarnation(),
            kind,
            localHealth,
            clock.millis()));
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Runs {@code task} on the owning loop, unless the bridge or the loop is closed. */
  private void onLoop(Runnable task) {
    if (closed) {
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      // the loop is shutting down with the agent
    }
  }

  private void setStatus(Admission admission, String detail, String id) {
    AdmissionStatus next = new AdmissionStatus(admission, id, detail);
    if (next.equals(status)) {
      return;
    }
    status = next;
    for (Consumer<AdmissionStatus> listener : listeners) {
      listener.accept(next);
    }
  }

  private static ControlMember memberNamed(ControlView view, String name) {
    for (ControlMember member : view.members()) {
      if (member.name().equals(name)) {
        return member;
      }
    }
    return null;
  }

  private static Member memberNamed(List<Member> members, String name) {
    for (Member member : members) {
      if (member.name().equals(name)) {
        return member;
      }
    }
    return null;
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  private static String describe(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof TimeoutException) {
      return "timed out";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  @Override
  public void close() {
    observations.close();
    closed = true;
  }
}
