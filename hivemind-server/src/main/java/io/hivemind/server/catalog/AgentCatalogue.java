package io.hivemind.server.catalog;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.ApplyOutcome;
import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogReplica;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.CheckResult;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.HealthChecks;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.HealthTick;
import io.hivemind.core.catalog.OwnerLedger;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.core.control.ControlMember;
import io.hivemind.core.control.ControlView;
import io.hivemind.server.control.ControlPlane;
import io.hivemind.server.loop.DriverLoop;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's catalogue: the instances it owns ({@link OwnerLedger}), the checks it runs for them
 * ({@link HealthChecks}), and its full replica of everyone's ({@link CatalogReplica}), published as
 * immutable snapshots for HTTP and DNS and handed to replication through {@link ReplicaHost}.
 *
 * <p>Owning thread: the agent's gossip loop ({@link DriverLoop}); every field but the published
 * snapshots is touched only there, so nothing takes a lock. Public methods hop onto the loop.
 *
 * <p>Own changes are coalesced: the first change of a loop turn queues one flush behind the tasks
 * already queued, which drains the ledger into one delta, applies it to the local replica,
 * publishes the snapshot, wakes blocking queries and hands the delta to replication (issue 11).
 *
 * <p>Admission follows the control plane's committed registry: an owner's entries are held while it
 * is an admitted member and dropped at its committed removal. This agent's own changes are not
 * drained until it is admitted; then its first delta starts at sequence 0 of its generation and
 * carries every instance it owns (its whole state, empty included) to every replica, replacing what
 * a previous life of the same id left there. A node the cluster removed rejoins under a new id
 * ({@code NodeIdentity}): the ledger moves to it, in a new generation, and re-publishes its
 * instances once the new id is admitted.
 */
public final class AgentCatalogue implements Catalogue, ReplicaHost, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AgentCatalogue.class);

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  /**
   * How long past a check's timeout its probe may take before it is recorded critical: the prober
   * enforces the timeout itself; this only catches one that never answers.
   */
  static final Duration PROBE_GRACE = Duration.ofSeconds(5);

  private final DriverLoop loop;
  private final LoopExecutor executor;
  private final ControlPlane control;
  private final Supplier<String> ownerIds;
  private final Environment environment;
  private final Clock clock;
  private final CheckProber prober;
  private final CatalogReplica replica = new CatalogReplica();
  private final HealthChecks checks = new HealthChecks();
  private final IndexWaiters waiters;
  private final List<Runnable> afterFlush = new ArrayList<>();
  // Volatile only so ownerId() is safe from any thread (replication reads it on transport threads
  // when it declares this node's id); written on the loop alone.
  private volatile OwnerLedger ledger;
  private Set<String> admitted = Set.of();
  private long controlIndex = -1;
  private long controlEpoch = -1;
  private boolean flushQueued;
  private final Set<String> dirtyIds = new HashSet<>();
  // Set at this agent's admission: the next flush sends its whole ledger (a new generation's first
  // delta, which replaces a previous life's entries everywhere, even when the ledger is empty).
  private boolean publishWhole;
  // The node checks' latest statuses, which every instance carries (loop only), and a copy for
  // readers on other threads.
  private final Map<String, CheckStatus> nodeChecks = new LinkedHashMap<>();
  private volatile List<CheckStatus> publishedNodeChecks = List.of();
  private DriverLoop.Scheduled checkTimer;
  private long checkTimerDue = Long.MAX_VALUE;
  private Consumer<CatalogDelta> ownDeltaSink = delta -> {};
  private Runnable repairNeeded = () -> {};
  private volatile State state = State.NEW;

  // Published by the loop, read by any thread.
  private volatile CatalogView view = CatalogView.EMPTY;
  // The ledger's instances as of the last flush, for readers on other threads: a flush updates
  // only the ids it drained, and a reader copies it (rare: /v1/agent/services).
  private final Map<String, ServiceInstance> localInstances = new ConcurrentHashMap<>();
  private volatile Map<HealthStatus, Integer> checkCounts = Map.of();
  private volatile int owners;
  private volatile long deltasDrained;

  /**
   * @param loop the owning thread: the agent's gossip loop
   * @param control the agent's control plane, whose committed registry admits owners
   * @param ownerIds this node's current id (it changes when the node rejoins after a removal)
   * @param environment the environment every instance registered here belongs to
   * @param clock the start time (the ledger's generation) and the checks' time
   * @param prober runs HTTP and TCP checks
   */
  public AgentCatalogue(
      DriverLoop loop,
      ControlPlane control,
      Supplier<String> ownerIds,
      Environment environment,
      Clock clock,
      CheckProber prober) {
    this(loop, control, ownerIds, environment, clock, prober, IndexWaiters.DEFAULT_MAX_WAITERS);
  }

  AgentCatalogue(
      DriverLoop loop,
      ControlPlane control,
      Supplier<String> ownerIds,
      Environment environment,
      Clock clock,
      CheckProber prober,
      int maxWaiters) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.executor = new LoopExecutor(loop);
    this.control = Objects.requireNonNull(control, "control");
    this.ownerIds = Objects.requireNonNull(ownerIds, "ownerIds");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.prober = Objects.requireNonNull(prober, "prober");
    this.waiters = new IndexWaiters(loop, maxWaiters, () -> view);
    this.ledger = new OwnerLedger(ownerIds.get(), clock.millis());
  }

  /** Starts following the control plane's registry; returns at once. */
  public void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("catalogue already started: " + state);
    }
    state = State.RUNNING;
    control.addListener(next -> onLoop(() -> onControlView(next)));
    onLoop(() -> onControlView(control.view()));
  }

  // ---- Catalogue --------------------------------------------------------------------------

  @Override
  public CatalogView view() {
    return view;
  }

  @Override
  public CompletableFuture<CatalogView> awaitIndexAbove(long index, Duration wait) {
    CatalogView now = view;
    if (now.index() > index || state == State.CLOSED) {
      // Closed: nothing will change any more, so the query's answer is the last snapshot.
      return CompletableFuture.completedFuture(now);
    }
    CompletableFuture<CatalogView> answer = new CompletableFuture<>();
    call(answer, () -> waiters.await(index, wait, answer));
    return answer;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Until this agent is admitted the instance is held by its ledger only (the replica holds no
   * unadmitted owner's entries): the future completes then, and the instance enters the view, here
   * and everywhere, at the admission.
   */
  @Override
  public CompletableFuture<ServiceInstance> register(
      ServiceRegistration registration, String session) {
    CompletableFuture<ServiceInstance> answer = new CompletableFuture<>();
    call(
        answer,
        () -> {
          ServiceInstance instance = registerOnLoop(registration, session);
          afterFlush(() -> answer.complete(ledger.get(instance.id()).orElse(instance)));
        });
    return answer;
  }

  @Override
  public CompletableFuture<Integer> endSession(String session) {
    if (ServiceInstance.AGENT_SESSION.equals(session)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("the agent's own session ends only with the agent"));
    }
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    call(
        answer,
        () -> {
          List<String> removed = ledger.removeSession(session);
          for (String id : removed) {
            checks.removeInstance(id);
            changed(id);
          }
          rearmCheckTimer();
          afterFlush(() -> answer.complete(removed.size()));
        });
    return answer;
  }

  @Override
  public CompletableFuture<Boolean> deregister(String serviceId) {
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    call(
        answer,
        () -> {
          checks.removeInstance(serviceId);
          boolean removed = ledger.remove(serviceId);
          if (removed) {
            changed(serviceId);
          }
          rearmCheckTimer();
          afterFlush(() -> answer.complete(removed));
        });
    return answer;
  }

  @Override
  public CompletableFuture<Boolean> updateCheck(
      String checkId, HealthStatus status, String output) {
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    call(
        answer,
        () -> {
          Optional<CheckResult> result =
              checks.report(checkId, status, output == null ? "" : output, clock.millis());
          result.ifPresent(this::record);
          rearmCheckTimer();
          afterFlush(() -> answer.complete(result.isPresent()));
        });
    return answer;
  }

  @Override
  public CompletableFuture<Boolean> registerCheck(CheckDefinition check) {
    Objects.requireNonNull(check, "check");
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    call(
        answer,
        () -> {
          boolean added = registerCheckOnLoop(check);
          afterFlush(() -> answer.complete(added));
        });
    return answer;
  }

  @Override
  public CompletableFuture<Boolean> deregisterCheck(String checkId) {
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    call(
        answer,
        () -> {
          boolean removed = deregisterCheckOnLoop(checkId);
          afterFlush(() -> answer.complete(removed));
        });
    return answer;
  }

  @Override
  public List<ServiceInstance> localInstances() {
    return List.copyOf(localInstances.values());
  }

  @Override
  public List<CheckStatus> nodeChecks() {
    return publishedNodeChecks;
  }

  @Override
  public CompletableFuture<Integer> nodeMaintenance(boolean enable, String reason) {
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    call(
        answer,
        () -> {
          int changed = nodeMaintenanceOnLoop(enable, reason == null ? "" : reason);
          afterFlush(() -> answer.complete(changed));
        });
    return answer;
  }

  // ---- ReplicaHost ------------------------------------------------------------------------

  @Override
  public ScheduledExecutorService executor() {
    return executor;
  }

  @Override
  public String ownerId() {
    return ledger.owner();
  }

  @Override
  public CatalogReplica replica() {
    return replica;
  }

  @Override
  public void replicaChanged() {
    CatalogView next = replica.view();
    view = next;
    waiters.wake(next);
  }

  @Override
  public void onOwnDelta(Consumer<CatalogDelta> sink) {
    Objects.requireNonNull(sink, "sink");
    onLoop(() -> ownDeltaSink = sink);
  }

  /**
   * Sets what runs (on the loop) when owners are admitted whose changes the replica refused while
   * they were not admitted yet: their state must be fetched from peers now, not at the next
   * periodic digest (replication's {@code requestRepair}). One listener; a later call replaces it.
   */
  public void onRepairNeeded(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    onLoop(() -> repairNeeded = listener);
  }

  // ---- figures for metrics (any thread) ---------------------------------------------------

  /** Owners whose entries the replica may hold: the admitted members. */
  public int owners() {
    return owners;
  }

  /** This agent's checks by their status. */
  public Map<HealthStatus, Integer> checksByStatus() {
    return checkCounts;
  }

  /** Deltas drained from this agent's ledger so far. */
  public long deltasDrained() {
    return deltasDrained;
  }

  /** Blocking queries waiting now; on the loop only (tests). */
  int waiting() {
    return waiters.size();
  }

  // ---- registrations ----------------------------------------------------------------------

  private ServiceInstance registerOnLoop(ServiceRegistration registration, String session) {
    List<CheckDefinition> definitions = withMaintenanceKept(registration);
    Set<String> seen = new HashSet<>();
    for (CheckDefinition definition : definitions) {
      HealthChecks.requireTiming(definition);
      if (definition.nodeCheck()) {
        throw new IllegalArgumentException(
            "check " + definition.checkId() + " of a registration names no instance");
      }
      Optional<CheckDefinition> held = checks.definition(definition.checkId());
      if (held.isPresent() && !held.get().serviceId().equals(registration.id())) {
        throw new IllegalArgumentException(
            "check id " + definition.checkId() + " belongs to " + holder(held.get()));
      }
      if (!seen.add(definition.checkId())) {
        throw new IllegalArgumentException("check id " + definition.checkId() + " appears twice");
      }
    }
    List<CheckStatus> results = new ArrayList<>();
    for (CheckDefinition definition : definitions) {
      results.add(keptOrInitial(registration.id(), definition));
    }
    List<CheckStatus> all = new ArrayList<>(results);
    all.addAll(nodeChecks.values());
    ServiceInstance instance = instanceOf(registration, session, all);
    replaceChecks(registration.id(), definitions, results);
    ledger.put(instance);
    changed(instance.id());
    return instance;
  }

  /** What holds a check: an instance, or the node. */
  private static String holder(CheckDefinition check) {
    return check.nodeCheck() ? "the node" : check.serviceId();
  }

  /**
   * The registration's checks, and the instance's maintenance check when it is in maintenance: a
   * re-registration (Spring Cloud Consul's on every restart of its context) does not end it, as
   * Consul keeps the checks a registration does not name.
   */
  private List<CheckDefinition> withMaintenanceKept(ServiceRegistration registration) {
    List<CheckDefinition> kept = new ArrayList<>(registration.checks());
    checks
        .definition(CheckDefinition.MAINTENANCE_PREFIX + registration.id())
        .filter(held -> held.serviceId().equals(registration.id()))
        .filter(held -> kept.stream().noneMatch(d -> d.checkId().equals(held.checkId())))
        .ifPresent(kept::add);
    return kept;
  }

  /**
   * Enters or leaves node maintenance: the node check {@link CheckDefinition#nodeMaintenance},
   * which every instance carries while it is registered.
   *
   * @return the number of instances changed
   */
  private int nodeMaintenanceOnLoop(boolean enable, String reason) {
    int instances = ledger.instances().size();
    boolean changed =
        enable
            ? registerCheckOnLoop(CheckDefinition.nodeMaintenance(reason))
            : deregisterCheckOnLoop(CheckDefinition.NODE_MAINTENANCE_ID);
    return changed ? instances : 0;
  }

  /**
   * Adds or replaces one check of an instance this agent owns, or a node check, which every
   * instance carries. Everything that can refuse it runs before anything changes, so a refused
   * check leaves the instances and their checks as they were.
   *
   * @return false when the check's instance is not this agent's (a node check is always added)
   */
  private boolean registerCheckOnLoop(CheckDefinition definition) {
    HealthChecks.requireTiming(definition);
    Optional<CheckDefinition> held = checks.definition(definition.checkId());
    if (held.isPresent() && !held.get().serviceId().equals(definition.serviceId())) {
      throw new IllegalArgumentException(
          "check id " + definition.checkId() + " belongs to " + holder(held.get()));
    }
    List<ServiceInstance> carriers;
    CheckStatus result;
    if (definition.nodeCheck()) {
      carriers = ledger.instances();
      CheckStatus current = nodeChecks.get(definition.checkId());
      boolean same = held.isPresent() && held.get().equals(definition) && current != null;
      result = same ? current : definition.initialResult();
    } else {
      Optional<ServiceInstance> instance = ledger.get(definition.serviceId());
      if (instance.isEmpty()) {
        return false;
      }
      carriers = List.of(instance.get());
      result = keptOrInitial(definition.serviceId(), definition);
    }
    List<ServiceInstance> updated = new ArrayList<>(carriers.size());
    for (ServiceInstance carrier : carriers) {
      updated.add(withCheck(carrier, result)); // refuses too many checks, before any change
    }
    checks.add(definition, result.status(), clock.millis());
    if (definition.nodeCheck()) {
      nodeChecks.put(definition.checkId(), result);
      publishNodeChecks();
    }
    for (ServiceInstance instance : updated) {
      ledger.put(instance);
      changed(instance.id());
    }
    rearmCheckTimer();
    return true;
  }

  /** {@code instance} with {@code check} in place of any check of its id. */
  private static ServiceInstance withCheck(ServiceInstance instance, CheckStatus check) {
    List<CheckStatus> results = new ArrayList<>();
    for (CheckStatus status : instance.checks()) {
      if (!status.checkId().equals(check.checkId())) {
        results.add(status);
      }
    }
    results.add(check);
    return instance.withChecks(results);
  }

  /** Removes one check; its instance stays (every instance, for a node check). */
  private boolean deregisterCheckOnLoop(String checkId) {
    Optional<CheckDefinition> held = checks.definition(checkId);
    if (held.isEmpty()) {
      return false;
    }
    checks.remove(checkId);
    List<ServiceInstance> carriers;
    if (held.get().nodeCheck()) {
      nodeChecks.remove(checkId);
      publishNodeChecks();
      carriers = ledger.instances();
    } else {
      carriers = ledger.get(held.get().serviceId()).map(List::of).orElse(List.of());
    }
    for (ServiceInstance instance : carriers) {
      List<CheckStatus> left = new ArrayList<>(instance.checks());
      left.removeIf(status -> status.checkId().equals(checkId));
      ledger.put(instance.withChecks(left));
      changed(instance.id());
    }
    rearmCheckTimer();
    return true;
  }

  private void publishNodeChecks() {
    publishedNodeChecks = List.copyOf(nodeChecks.values());
  }

  /**
   * A re-registration that repeats a check's definition keeps the check's status, so registering
   * the same thing again (as clients do at every start) does not flap it to critical.
   */
  private CheckStatus keptOrInitial(String serviceId, CheckDefinition definition) {
    Optional<CheckDefinition> held = checks.definition(definition.checkId());
    Optional<ServiceInstance> instance = ledger.get(serviceId);
    if (held.isPresent() && held.get().equals(definition) && instance.isPresent()) {
      for (CheckStatus status : instance.get().checks()) {
        if (status.checkId().equals(definition.checkId())) {
          return status;
        }
      }
    }
    return definition.initialResult();
  }

  private ServiceInstance instanceOf(
      ServiceRegistration registration, String session, List<CheckStatus> results) {
    return new ServiceInstance(
        registration.service(),
        registration.id(),
        registration.address(),
        registration.port(),
        registration.tags(),
        registration.meta(),
        registration.weights(),
        environment,
        ledger.owner(),
        session,
        results);
  }

  /** The instance's checks become {@code definitions}, at the statuses in {@code results}. */
  private void replaceChecks(
      String serviceId, List<CheckDefinition> definitions, List<CheckStatus> results) {
    long now = clock.millis();
    checks.removeInstance(serviceId);
    for (int i = 0; i < definitions.size(); i++) {
      checks.add(definitions.get(i), results.get(i).status(), now);
    }
    rearmCheckTimer();
  }

  // ---- checks ---------------------------------------------------------------------------

  private void record(CheckResult result) {
    if (!result.serviceId().isEmpty()) {
      if (ledger.updateCheck(
          result.serviceId(), result.checkId(), result.status(), result.output())) {
        changed(result.serviceId());
      }
      return;
    }
    // A node check: its status is every instance's copy. As with an instance's check (the ledger
    // replicates a new status, not a new output alone), only a new status reaches the copies: a
    // node check probed every second on an agent of thousands of instances touches none of them
    // until it flips. The agent's own answers show the latest output from here.
    CheckStatus current = nodeChecks.get(result.checkId());
    if (current == null) {
      return;
    }
    nodeChecks.put(result.checkId(), current.withStatus(result.status(), result.output()));
    publishNodeChecks();
    if (current.status() == result.status()) {
      return;
    }
    for (ServiceInstance instance : ledger.instances()) {
      if (ledger.updateCheck(instance.id(), result.checkId(), result.status(), result.output())) {
        changed(instance.id());
      }
    }
  }

  private void onCheckTimer() {
    checkTimer = null;
    checkTimerDue = Long.MAX_VALUE;
    long now = clock.millis();
    HealthTick tick = checks.tick(now);
    tick.results().forEach(this::record);
    for (String serviceId : tick.deregistrations()) {
      log.info("deregistering {}: a check stayed critical past its deregister-after", serviceId);
      ledger.remove(serviceId);
      changed(serviceId);
    }
    for (CheckDefinition check : checks.dueProbes(now)) {
      probe(check);
    }
    rearmCheckTimer();
  }

  /**
   * Runs one probe. A prober that never answers must not leave the check in flight for ever (it
   * would never be probed again): a guard records it critical once the check's timeout and {@link
   * #PROBE_GRACE} have passed. Whichever of outcome and guard comes first counts; the other is
   * dropped, so a late outcome is never taken for the next probe's.
   */
  private void probe(CheckDefinition check) {
    CompletableFuture<CheckProber.Outcome> outcome;
    try {
      outcome = prober.probe(check);
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    boolean[] settled = {false};
    long guardMillis = Math.max(check.timeout().toMillis(), 0) + PROBE_GRACE.toMillis();
    DriverLoop.Scheduled guard =
        loop.schedule(
            () ->
                settle(
                    settled,
                    check,
                    new CheckProber.Outcome(
                        HealthStatus.CRITICAL, "no probe outcome within " + guardMillis + " ms")),
            guardMillis);
    outcome.whenComplete(
        (result, failure) -> {
          CheckProber.Outcome seen =
              failure == null
                  ? result
                  : new CheckProber.Outcome(HealthStatus.CRITICAL, "probe failed: " + failure);
          onLoop(
              () -> {
                guard.cancel();
                settle(settled, check, seen);
              });
        });
  }

  private void settle(boolean[] settled, CheckDefinition check, CheckProber.Outcome outcome) {
    if (settled[0]) {
      return;
    }
    settled[0] = true;
    checks
        .probeResult(check, outcome.status(), outcome.output(), clock.millis())
        .ifPresent(this::record);
    rearmCheckTimer();
  }

  private void rearmCheckTimer() {
    long due = checks.nextDueMillis();
    if (due == checkTimerDue || state == State.CLOSED) {
      return;
    }
    if (checkTimer != null) {
      checkTimer.cancel();
      checkTimer = null;
    }
    checkTimerDue = due;
    if (due != Long.MAX_VALUE) {
      checkTimer = loop.schedule(this::onCheckTimer, Math.max(0, due - clock.millis()));
    }
  }

  // ---- admission --------------------------------------------------------------------------

  private void onControlView(ControlView next) {
    if (next.index() <= controlIndex) {
      return;
    }
    controlIndex = next.index();
    if (next.epoch() == controlEpoch) {
      // The epoch advances with every admission and removal: most commits (KV writes, reports)
      // leave the registry as it was, and a thousand members need not be compared for them.
      return;
    }
    controlEpoch = next.epoch();
    String id = ownerIds.get();
    if (!id.equals(ledger.owner())) {
      moveLedger(id);
    }
    Set<String> members = new HashSet<>();
    for (ControlMember member : next.members()) {
      members.add(member.id());
    }
    boolean dropped = false;
    for (String gone : admitted) {
      if (!members.contains(gone)) {
        int count = replica.ownerRemoved(gone);
        dropped |= count > 0;
        log.debug("owner {} removed by the control plane: {} instances dropped", gone, count);
      }
    }
    boolean refusedBefore = false;
    for (String member : members) {
      if (!admitted.contains(member)) {
        refusedBefore |= replica.ownerAdmitted(member);
      }
    }
    boolean selfNewlyAdmitted =
        members.contains(ledger.owner()) && !admitted.contains(ledger.owner());
    admitted = Set.copyOf(members);
    owners = admitted.size();
    if (dropped) {
      replicaChanged();
    }
    if (selfNewlyAdmitted) {
      publishWhole = true;
      changed();
    }
    if (refusedBefore) {
      repairNeeded.run();
    }
  }

  /**
   * The cluster removed this node and it rejoins under {@code id}: its instances move to a ledger
   * of the new id, in a new generation, all of them undrained, so the first delta after the new
   * id's admission carries them all (issue 11: re-published after re-admission).
   */
  private void moveLedger(String id) {
    OwnerLedger old = ledger;
    OwnerLedger next = new OwnerLedger(id, Math.max(clock.millis(), old.generation() + 1));
    for (ServiceInstance instance : old.instances()) {
      next.put(
          new ServiceInstance(
              instance.service(),
              instance.id(),
              instance.address(),
              instance.port(),
              instance.tags(),
              instance.meta(),
              instance.weights(),
              instance.environment(),
              id,
              instance.session(),
              instance.checks()));
    }
    ledger = next;
    log.info(
        "catalogue owner {} is now {}: {} instances re-published once it is admitted",
        old.owner(),
        id,
        next.instances().size());
    for (ServiceInstance instance : next.instances()) {
      changed(instance.id());
    }
  }

  // ---- flush ------------------------------------------------------------------------------

  private void afterFlush(Runnable completion) {
    afterFlush.add(completion);
    queueFlush();
  }

  /** The instance changed in the ledger: the next flush drains and republishes it. */
  private void changed(String serviceId) {
    dirtyIds.add(serviceId);
    queueFlush();
  }

  /** Something to drain (the admission's whole state): the next flush sends it. */
  private void changed() {
    queueFlush();
  }

  private void queueFlush() {
    if (flushQueued) {
      return;
    }
    flushQueued = true;
    onLoop(this::flush);
  }

  private void flush() {
    flushQueued = false;
    if (admitted.contains(ledger.owner())) {
      if (publishWhole) {
        publishWhole = false;
        applyOwn(ledger.drainAll());
      } else {
        ledger.drain().ifPresent(this::applyOwn);
      }
    }
    if (!dirtyIds.isEmpty()) {
      // Only what changed is copied: a flush costs its burst, not the agent's whole ledger.
      for (String id : dirtyIds) {
        Optional<ServiceInstance> instance = ledger.get(id);
        if (instance.isPresent()) {
          localInstances.put(id, instance.get());
        } else {
          localInstances.remove(id);
        }
      }
      dirtyIds.clear();
      checkCounts = Map.copyOf(new EnumMap<>(checks.countByStatus()));
    }
    List<Runnable> completions = new ArrayList<>(afterFlush);
    afterFlush.clear();
    completions.forEach(Runnable::run);
  }

  private void applyOwn(CatalogDelta delta) {
    deltasDrained++;
    ApplyOutcome outcome = replica.apply(delta);
    if (outcome != ApplyOutcome.APPLIED) {
      // Cannot happen while only this loop writes this owner's entries; repair rather than stall.
      log.warn("own delta {} was {} locally; applying the ledger's whole state", delta, outcome);
      replica.apply(ledger.state());
    }
    replicaChanged();
    try {
      ownDeltaSink.accept(delta);
    } catch (RuntimeException e) {
      log.warn(
          "replication refused own delta {}..{}: {}", delta.fromSeq(), delta.toSeq(), e.toString());
    }
  }

  // ---- loop helpers -----------------------------------------------------------------------

  /** Runs {@code task} on the loop; a failure (or a closed catalogue) fails {@code answer}. */
  private void call(CompletableFuture<?> answer, Runnable task) {
    if (state == State.CLOSED) {
      answer.completeExceptionally(new IllegalStateException("the catalogue is closed"));
      return;
    }
    try {
      loop.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              answer.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      answer.completeExceptionally(new IllegalStateException("the catalogue is closed", e));
    }
  }

  private void onLoop(Runnable task) {
    if (state == State.CLOSED) {
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      // the loop is shutting down with the agent
    }
  }

  /**
   * Stops the checks and answers every waiting blocking query with the last snapshot. Call before
   * the loop shuts down; later calls do nothing.
   */
  @Override
  public void close() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    executor.shutdown();
    try {
      loop.execute(this::closeOnLoop);
    } catch (RejectedExecutionException e) {
      // the loop is gone already: its timers with it
    }
  }

  private void closeOnLoop() {
    if (checkTimer != null) {
      checkTimer.cancel();
      checkTimer = null;
    }
    waiters.completeAll(view);
    List<Runnable> completions = new ArrayList<>(afterFlush);
    afterFlush.clear();
    completions.forEach(Runnable::run);
  }
}
