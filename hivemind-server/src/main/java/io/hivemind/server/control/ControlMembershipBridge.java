package io.hivemind.server.control;

import io.hivemind.core.control.ApplyResult;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEvent;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.core.control.Observation;
import io.hivemind.core.control.RemovalReason;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.server.membership.MembershipService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
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
 * <p>Owning thread: one single-threaded executor ({@code hivemind-control-bridge}); membership
 * events and committed views are handed to it, so the fields below are touched by that thread only.
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

  /**
   * Observations are sent in batches: one commit per interval per observer instead of one per probe
   * round, which keeps a cluster of 1,000 within the log's commit rate when many probes fail at
   * once (a partition).
   */
  static final Duration REPORT_INTERVAL = Duration.ofMillis(200);

  /** First retry of an admission without quorum; doubles up to {@link #MAX_RETRY}. */
  static final Duration MIN_RETRY = Duration.ofMillis(500);

  /** Control nodes are few and come back quickly; a joining node should not sleep for minutes. */
  static final Duration MAX_RETRY = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(ControlMembershipBridge.class);

  private final MembershipService membership;
  private final ControlPlane plane;
  private final NodeIdentity identity;
  private final AdmissionRequests requests;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final List<Consumer<AdmissionStatus>> listeners = new ArrayList<>();

  private final Map<String, Observation> pendingObservations = new LinkedHashMap<>();
  private Map<String, ControlMember> lastMembers = Map.of();
  private long lastIndex = -1;
  private boolean admitted;
  private boolean requestInFlight;
  private boolean leaving;
  private boolean reportInFlight;
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
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "hivemind-control-bridge");
              thread.setDaemon(true);
              return thread;
            });
    this.status = new AdmissionStatus(Admission.NO_CONTROL_PLANE, identity.id(), "");
  }

  /** Starts listening and asking; returns at once. */
  public void start() {
    membership.addListener(event -> onBridgeThread(() -> onMembershipEvent(event)));
    plane.addListener(view -> onBridgeThread(() -> onView(view)));
    executor.execute(() -> onView(plane.view()));
    executor.execute(this::requestAdmission);
    long interval = REPORT_INTERVAL.toMillis();
    executor.scheduleWithFixedDelay(
        this::flushObservations, interval, interval, TimeUnit.MILLISECONDS);
  }

  public AdmissionStatus status() {
    return status;
  }

  /** Calls {@code listener} (on the bridge's thread) whenever the admission status changes. */
  public void addListener(Consumer<AdmissionStatus> listener) {
    executor.execute(() -> listeners.add(listener));
  }

  /**
   * Commits this node's leave before the gossip LEFT spreads (issue 10: leaves are committed
   * first). Completes when committed, or when {@code timeout} ran out or there is no quorum (the
   * leave then spreads by gossip alone and the control plane removes the node later).
   */
  public CompletableFuture<Void> commitLeave(Duration timeout) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    executor.execute(
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
                    onBridgeThread(
                        () -> setStatus(Admission.LEFT, "left the cluster", identity.id()));
                    done.complete(null);
                  });
        });
    return done;
  }

  // ---- admission ------------------------------------------------------------------------------

  private void requestAdmission() {
    if (admitted || requestInFlight || leaving || executor.isShutdown()) {
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
    ControlCommand admit = requests.admit(identity.id(), membership.advertisedAddress());
    plane
        .submit(admit)
        .whenComplete(
            (result, failure) ->
                onBridgeThread(
                    () -> {
                      requestInFlight = false;
                      onAdmissionAnswer(result, failure);
                    }));
  }

  private void onAdmissionAnswer(ApplyResult result, Throwable failure) {
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
      onAdmitted();
      return;
    }
    ApplyResult.Refused refused = (ApplyResult.Refused) result;
    switch (refused.code()) {
      case ID_REUSED -> {
        // This id was removed by the cluster before (we were declared dead while away).
        String old = identity.id();
        String next = identity.renew();
        log.info("id {} was removed from the cluster before; rejoining as {}", old, next);
        retryDelayMillis = MIN_RETRY.toMillis();
        onBridgeThread(this::requestAdmission);
      }
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
          .whenComplete((r, f) -> onBridgeThread(this::requestAdmission));
      return;
    }
    setStatus(Admission.REFUSED, refused.message(), identity.id());
    log.error("admission refused: {}; rename this node or stop the other one", refused.message());
    retryLater();
  }

  private void onAdmitted() {
    if (!admitted) {
      admitted = true;
      retryDelayMillis = MIN_RETRY.toMillis();
      setStatus(Admission.ADMITTED, "admitted", identity.id());
      log.info("admitted to the cluster as {} ({})", membership.name(), identity.id());
    }
  }

  private void retryLater() {
    if (executor.isShutdown()) {
      return;
    }
    long delay = retryDelayMillis;
    retryDelayMillis = Math.min(retryDelayMillis * 2, MAX_RETRY.toMillis());
    executor.schedule(this::requestAdmission, delay, TimeUnit.MILLISECONDS);
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
      onAdmitted(); // a restart with the same id, or the answer overtaken by the feed
    }
    for (ControlMember gone : lastMembers.values()) {
      if (!members.containsKey(gone.id())) {
        onRemoved(gone, leftByEvent(view, gone.name()));
      }
    }
    lastMembers = members;
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

  private void onRemoved(ControlMember gone, boolean left) {
    if (gone.id().equals(identity.id())) {
      if (leaving) {
        return;
      }
      // Our epoch is stale: the cluster removed us (declared dead, or partitioned away too long).
      admitted = false;
      String next = identity.renew();
      log.warn(
          "the cluster removed this node ({}); dropping its admission and rejoining as {}",
          gone.id(),
          next);
      setStatus(Admission.REQUESTING, "removed by the cluster; rejoining", next);
      retryDelayMillis = MIN_RETRY.toMillis();
      onBridgeThread(this::requestAdmission);
      return;
    }
    Member known = memberNamed(membership.members(), gone.name());
    if (known == null || !known.address().equals(gone.address())) {
      return; // gossip knows another life under that name, or nothing: leave it to gossip
    }
    membership.applyCommittedRemoval(gone.name(), known.incarnation(), left);
  }

  // ---- observations ---------------------------------------------------------------------------

  private void onMembershipEvent(MembershipEvent event) {
    switch (event.type()) {
      case PROBE_FAILED -> observe(event.member(), Observation.Kind.SUSPECT);
      case PROBE_ANSWERED -> observe(event.member(), Observation.Kind.ALIVE);
      case LOCAL_JOINED -> onBridgeThread(this::requestAdmission);
      default -> {}
    }
  }

  private void observe(Member subject, Observation.Kind kind) {
    if (!admitted) {
      return; // only admitted members count as observers
    }
    ControlMember member = memberNamed(plane.view(), subject.name());
    if (member == null || !member.address().equals(subject.address())) {
      return;
    }
    pendingObservations.put(
        member.id(),
        new Observation(
            identity.id(),
            member.id(),
            member.name(),
            subject.incarnation(),
            kind,
            membership.localHealthScore(),
            clock.millis()));
  }

  private void flushObservations() {
    if (pendingObservations.isEmpty() || !admitted || reportInFlight) {
      return;
    }
    List<Observation> batch = List.copyOf(pendingObservations.values());
    pendingObservations.clear();
    reportInFlight = true;
    plane
        .submit(new ControlCommand.ReportObservations(batch))
        .whenComplete((r, failure) -> onBridgeThread(() -> onReported(batch, failure)));
  }

  /**
   * A batch that was not committed goes again with the next one, unless a newer verdict on the same
   * member came meanwhile. Dropping it is not enough: a member gossip declared dead is probed no
   * more, so a report lost while there was no quorum never came again and the member stayed in the
   * registry for good (MinorityIT: a control node closed during the minority was never removed).
   * One batch in flight at a time: without quorum a control node's submit waits for its timeout.
   */
  private void onReported(List<Observation> batch, Throwable failure) {
    reportInFlight = false;
    if (failure == null) {
      return;
    }
    log.debug("observations not committed, sent again: {}", describe(failure));
    for (Observation observation : batch) {
      pendingObservations.putIfAbsent(observation.subject(), observation);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * Hands {@code task} to the bridge's thread; dropped once the bridge is closed. Membership and
   * the control plane still deliver events while the agent closes (the bridge closes first), and a
   * rejected task there was logged by every listener as a failure with a stack trace.
   */
  private void onBridgeThread(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException closed) {
      // Closed: the agent is shutting down, and nothing is left to ask, report or apply.
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
    executor.shutdownNow();
  }
}
