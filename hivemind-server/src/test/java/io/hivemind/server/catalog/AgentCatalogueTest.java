package io.hivemind.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.ApplyOutcome;
import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogReplica;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckDefinition;
import io.hivemind.core.catalog.CheckKind;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.HealthChecks;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.OwnerState;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.ServiceRegistration;
import io.hivemind.core.catalog.Weights;
import io.hivemind.server.loop.ManualLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentCatalogueTest {

  private static final String SESSION = ServiceInstance.AGENT_SESSION;
  private static final long START_MILLIS = 1_700_000_000_000L;

  private final ManualLoop loop = new ManualLoop();
  private final RegistryPlane plane = new RegistryPlane();
  private final AtomicReference<String> ownerId = new AtomicReference<>("owner-a");
  private final List<CatalogDelta> sent = new ArrayList<>();
  private final List<CheckDefinition> probed = new ArrayList<>();
  private final List<CompletableFuture<CheckProber.Outcome>> probes = new ArrayList<>();
  private AgentCatalogue catalogue;

  /** The loop's virtual time as a clock, from a fixed start. */
  private final class LoopClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(START_MILLIS + loop.nowMillis());
    }
  }

  @BeforeEach
  void start() {
    catalogue = newCatalogue(IndexWaiters.DEFAULT_MAX_WAITERS);
  }

  private AgentCatalogue newCatalogue(int maxWaiters) {
    CheckProber prober =
        check -> {
          CompletableFuture<CheckProber.Outcome> outcome = new CompletableFuture<>();
          probed.add(check);
          probes.add(outcome);
          return outcome;
        };
    AgentCatalogue created =
        new AgentCatalogue(
            loop, plane, ownerId::get, Environment.TESTING, new LoopClock(), prober, maxWaiters);
    created.start();
    created.onOwnDelta(sent::add);
    loop.runPending();
    return created;
  }

  static ServiceRegistration web(String id, CheckDefinition... checks) {
    return new ServiceRegistration(
        "web", id, "127.0.0.1", 8080, List.of("v1"), Map.of(), Weights.DEFAULT, List.of(checks));
  }

  static CheckDefinition ttl(String checkId, String serviceId, Duration ttl, Duration deregister) {
    return new CheckDefinition(
        checkId,
        checkId,
        serviceId,
        CheckKind.TTL,
        ttl,
        Duration.ZERO,
        Duration.ZERO,
        "",
        "GET",
        Map.of(),
        false,
        deregister,
        HealthStatus.CRITICAL);
  }

  static CheckDefinition http(String checkId, String serviceId, Duration interval) {
    return new CheckDefinition(
        checkId,
        checkId,
        serviceId,
        CheckKind.HTTP,
        Duration.ZERO,
        interval,
        Duration.ofSeconds(1),
        "http://127.0.0.1:1/health",
        "GET",
        Map.of(),
        false,
        Duration.ZERO,
        HealthStatus.CRITICAL);
  }

  private <T> T done(CompletableFuture<T> future) {
    loop.runPending();
    assertThat(future).isDone();
    return future.join();
  }

  private List<ServiceInstance> viewed(String service) {
    return catalogue.view().instances(service).stream().map(CatalogEntry::instance).toList();
  }

  private CheckStatus viewedCheck(String serviceId, String checkId) {
    for (CatalogEntry entry : catalogue.view().instances("web")) {
      if (entry.instance().id().equals(serviceId)) {
        for (CheckStatus check : entry.instance().checks()) {
          if (check.checkId().equals(checkId)) {
            return check;
          }
        }
      }
    }
    throw new AssertionError("no check " + checkId + " of " + serviceId + " in the view");
  }

  private void admitSelf() {
    plane.members(ownerId.get());
    loop.runPending();
  }

  @Test
  void register_beforeAdmission_isHeldLocallyAndEntersTheViewAtAdmission() {
    ServiceInstance registered = done(catalogue.register(web("web-1"), SESSION));

    assertThat(registered.owner()).isEqualTo("owner-a");
    assertThat(registered.environment()).isEqualTo(Environment.TESTING);
    assertThat(catalogue.localInstances()).containsExactly(registered);
    assertThat(catalogue.view().instanceCount()).isZero();
    assertThat(sent).isEmpty();

    admitSelf();

    assertThat(viewed("web")).containsExactly(registered);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).fromSeq()).isZero();
    assertThat(sent.get(0).generation()).isEqualTo(START_MILLIS);
    assertThat(sent.get(0).upserts()).containsExactly(registered);
  }

  @Test
  void admission_withNothingRegistered_publishesAnEmptyWholeState_replacingAPreviousLife() {
    CatalogReplica peer = new CatalogReplica();
    peer.ownerAdmitted("owner-a");
    ServiceInstance previousLife =
        new ServiceInstance(
            "web",
            "web-old",
            "",
            80,
            List.of(),
            Map.of(),
            Weights.DEFAULT,
            Environment.TESTING,
            "owner-a",
            SESSION,
            List.of());
    peer.apply(new OwnerState("owner-a", START_MILLIS - 60_000, 7, List.of(previousLife)));

    admitSelf();

    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).fromSeq()).isZero();
    assertThat(sent.get(0).upserts()).isEmpty();
    assertThat(peer.apply(sent.get(0))).isEqualTo(ApplyOutcome.APPLIED);
    assertThat(peer.view().instanceCount()).isZero();
    // Later changes follow on in sequence.
    done(catalogue.register(web("web-1"), SESSION));
    assertThat(peer.apply(sent.get(1))).isEqualTo(ApplyOutcome.APPLIED);
    assertThat(peer.view().instanceCount()).isEqualTo(1);
  }

  @Test
  void burstOfRegistrations_inOneLoopTurn_drainsAsOneDelta() {
    admitSelf();
    sent.clear();
    long drainedBefore = catalogue.deltasDrained();
    List<CompletableFuture<ServiceInstance>> answers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      answers.add(catalogue.register(web("web-" + i), SESSION));
    }
    loop.runPending();

    assertThat(answers).allMatch(CompletableFuture::isDone);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).upserts()).hasSize(50);
    assertThat(catalogue.deltasDrained()).isEqualTo(drainedBefore + 1);
    assertThat(catalogue.view().instanceCount()).isEqualTo(50);
  }

  @Test
  void register_completesOnceTheInstanceIsInTheLocalView() {
    admitSelf();
    CompletableFuture<ServiceInstance> answer = catalogue.register(web("web-1"), SESSION);
    AtomicInteger seenInView = new AtomicInteger(-1);
    answer.thenRun(() -> seenInView.set(catalogue.view().instances("web").size()));
    loop.runPending();

    assertThat(seenInView.get()).isEqualTo(1);
  }

  @Test
  void deregister_removesFromTheView_andAnUnknownIdAnswersFalse() {
    admitSelf();
    done(catalogue.register(web("web-1"), SESSION));

    assertThat(done(catalogue.deregister("web-1"))).isTrue();
    assertThat(catalogue.view().instanceCount()).isZero();
    assertThat(catalogue.localInstances()).isEmpty();
    assertThat(done(catalogue.deregister("web-1"))).isFalse();
    assertThat(sent.get(sent.size() - 1).removedIds()).containsExactly("web-1");
  }

  @Test
  void register_withInvalidCheckTiming_failsAndChangesNothing() {
    admitSelf();
    CompletableFuture<ServiceInstance> answer =
        catalogue.register(web("web-1", ttl("c1", "web-1", Duration.ZERO, Duration.ZERO)), SESSION);
    loop.runPending();

    assertThat(answer).isCompletedExceptionally();
    assertThat(catalogue.localInstances()).isEmpty();
    assertThat(catalogue.checksByStatus().values().stream().mapToInt(i -> i).sum()).isZero();
  }

  @Test
  void register_withAnotherInstancesCheckId_isRefused() {
    admitSelf();
    done(
        catalogue.register(
            web("web-1", ttl("c1", "web-1", Duration.ofSeconds(10), Duration.ZERO)), SESSION));
    CompletableFuture<ServiceInstance> answer =
        catalogue.register(
            web("web-2", ttl("c1", "web-2", Duration.ofSeconds(10), Duration.ZERO)), SESSION);
    loop.runPending();

    assertThat(answer).isCompletedExceptionally();
    assertThat(catalogue.localInstances()).extracting(ServiceInstance::id).containsExactly("web-1");
  }

  @Test
  void registerCheck_addsToTheInstance_runsIt_andReplicatesItsStatus() {
    admitSelf();
    done(catalogue.register(web("web-1"), SESSION));
    int sentBefore = sent.size();

    assertThat(
            done(
                catalogue.registerCheck(ttl("c1", "web-1", Duration.ofSeconds(10), Duration.ZERO))))
        .isTrue();

    assertThat(viewedCheck("web-1", "c1").status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(sent).hasSize(sentBefore + 1);
    assertThat(done(catalogue.updateCheck("c1", HealthStatus.PASSING, "ok"))).isTrue();
    assertThat(viewed("web").get(0).health()).isEqualTo(HealthStatus.PASSING);
    loop.advance(10_000);
    assertThat(viewedCheck("web-1", "c1").output()).isEqualTo(HealthChecks.TTL_EXPIRED);
  }

  @Test
  void registerCheck_sameDefinitionAgain_keepsItsStatus_aNewOneReplacesIt() {
    admitSelf();
    done(catalogue.register(web("web-1"), SESSION));
    CheckDefinition c1 = ttl("c1", "web-1", Duration.ofSeconds(10), Duration.ZERO);
    done(catalogue.registerCheck(c1));
    done(catalogue.updateCheck("c1", HealthStatus.PASSING, "ok"));

    done(catalogue.registerCheck(c1));
    assertThat(viewedCheck("web-1", "c1").status()).isEqualTo(HealthStatus.PASSING);

    done(catalogue.registerCheck(http("c1", "web-1", Duration.ofSeconds(5))));
    assertThat(viewedCheck("web-1", "c1").kind()).isEqualTo(CheckKind.HTTP);
    assertThat(viewedCheck("web-1", "c1").status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(viewed("web").get(0).checks()).hasSize(1);
    assertThat(probed).extracting(CheckDefinition::checkId).containsExactly("c1");
  }

  @Test
  void registerCheck_unknownInstanceAnswersFalse_anotherInstancesIdOrBadTimingFails() {
    admitSelf();
    done(
        catalogue.register(
            web("web-1", ttl("c1", "web-1", Duration.ofSeconds(10), Duration.ZERO)), SESSION));
    done(catalogue.register(web("web-2"), SESSION));

    assertThat(
            done(catalogue.registerCheck(ttl("c9", "nope", Duration.ofSeconds(1), Duration.ZERO))))
        .isFalse();
    CompletableFuture<Boolean> taken =
        catalogue.registerCheck(ttl("c1", "web-2", Duration.ofSeconds(10), Duration.ZERO));
    CompletableFuture<Boolean> untimed =
        catalogue.registerCheck(ttl("c2", "web-2", Duration.ZERO, Duration.ZERO));
    loop.runPending();

    assertThat(taken).isCompletedExceptionally();
    assertThat(untimed).isCompletedExceptionally();
    assertThat(viewedCheck("web-1", "c1").kind()).isEqualTo(CheckKind.TTL);
    assertThat(catalogue.localInstances())
        .filteredOn(instance -> instance.id().equals("web-2"))
        .allMatch(instance -> instance.checks().isEmpty());
  }

  @Test
  void maintenance_criticalEverywhere_survivesReRegistration_endsWhenRemoved() {
    admitSelf();
    CheckDefinition c1 = ttl("c1", "web-1", Duration.ofSeconds(10), Duration.ZERO);
    done(catalogue.register(web("web-1", c1), SESSION));
    done(catalogue.updateCheck("c1", HealthStatus.PASSING, "ok"));
    String maintenance = CheckDefinition.MAINTENANCE_PREFIX + "web-1";

    assertThat(done(catalogue.registerCheck(CheckDefinition.maintenance("web-1", "swap"))))
        .isTrue();
    assertThat(viewed("web").get(0).health()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(viewedCheck("web-1", maintenance).output()).isEqualTo("swap");

    done(catalogue.register(web("web-1", c1), SESSION)); // as a client restarting would
    loop.advance(3_600_000); // nothing expires or probes it
    assertThat(viewedCheck("web-1", maintenance).kind()).isEqualTo(CheckKind.MAINTENANCE);
    assertThat(viewedCheck("web-1", maintenance).status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(probed).isEmpty();

    assertThat(done(catalogue.deregisterCheck(maintenance))).isTrue();
    done(catalogue.updateCheck("c1", HealthStatus.PASSING, "ok"));
    assertThat(viewed("web").get(0).health()).isEqualTo(HealthStatus.PASSING);
    assertThat(viewed("web").get(0).checks())
        .extracting(CheckStatus::checkId)
        .containsExactly("c1");
  }

  @Test
  void nodeMaintenance_everyInstanceAndLaterOnesCritical_endsForAll() {
    admitSelf();
    done(catalogue.register(web("web-1"), SESSION));
    done(catalogue.register(web("web-2"), SESSION));

    assertThat(done(catalogue.nodeMaintenance(true, "rack move"))).isEqualTo(2);
    done(catalogue.register(web("web-3"), SESSION));

    assertThat(viewed("web")).hasSize(3).allMatch(i -> i.health() == HealthStatus.CRITICAL);
    assertThat(viewedCheck("web-3", CheckDefinition.NODE_MAINTENANCE_ID).output())
        .isEqualTo("rack move");
    assertThat(viewedCheck("web-3", CheckDefinition.NODE_MAINTENANCE_ID).node()).isTrue();
    assertThat(done(catalogue.nodeMaintenance(false, ""))).isEqualTo(3);
    assertThat(viewed("web")).allMatch(i -> i.health() == HealthStatus.PASSING);
    done(catalogue.register(web("web-4"), SESSION));
    assertThat(viewed("web")).hasSize(4).allMatch(i -> i.checks().isEmpty());
    assertThat(done(catalogue.nodeMaintenance(false, ""))).isZero();
  }

  @Test
  void nodeCheck_everyInstanceCarriesIt_probedOnce_itsResultsReachAll_laterInstancesToo() {
    admitSelf();
    done(catalogue.register(web("web-1"), SESSION));
    done(catalogue.register(web("web-2"), SESSION));

    assertThat(done(catalogue.registerCheck(http("disk", "", Duration.ofSeconds(5))))).isTrue();
    assertThat(probed).extracting(CheckDefinition::checkId).containsExactly("disk");
    probes.get(0).complete(new CheckProber.Outcome(HealthStatus.PASSING, "ok"));
    loop.runPending();
    done(catalogue.register(web("web-3"), SESSION));

    assertThat(viewed("web"))
        .hasSize(3)
        .allSatisfy(
            instance -> {
              assertThat(instance.health()).isEqualTo(HealthStatus.PASSING);
              assertThat(instance.checks())
                  .singleElement()
                  .satisfies(c -> assertThat(c.node()).isTrue());
            });
    assertThat(catalogue.nodeChecks()).extracting(CheckStatus::output).containsExactly("ok");
    loop.advance(5_000);
    assertThat(probed).hasSize(2); // one probe for the node, not one per instance
    probes.get(1).complete(new CheckProber.Outcome(HealthStatus.CRITICAL, "disk full"));
    loop.runPending();
    assertThat(viewed("web")).allMatch(i -> i.health() == HealthStatus.CRITICAL);
    assertThat(viewedCheck("web-2", "disk").output()).isEqualTo("disk full");

    assertThat(done(catalogue.deregisterCheck("disk"))).isTrue();
    assertThat(viewed("web")).allMatch(i -> i.checks().isEmpty());
    assertThat(catalogue.nodeChecks()).isEmpty();
  }

  @Test
  void nodeTtlCheck_reportedOnce_expiresForAll_neverDeregistersAnInstance() {
    admitSelf();
    done(catalogue.register(web("web-1"), SESSION));
    done(
        catalogue.registerCheck(
            ttl("heartbeat", "", Duration.ofSeconds(10), Duration.ofSeconds(1))));

    assertThat(done(catalogue.updateCheck("heartbeat", HealthStatus.PASSING, "alive"))).isTrue();
    assertThat(viewed("web").get(0).health()).isEqualTo(HealthStatus.PASSING);
    loop.advance(60_000); // TTL out, and critical far past its deregister-after
    assertThat(viewed("web"))
        .singleElement()
        .satisfies(i -> assertThat(i.health()).isEqualTo(HealthStatus.CRITICAL));
    assertThat(viewedCheck("web-1", "heartbeat").output()).isEqualTo(HealthChecks.TTL_EXPIRED);
  }

  @Test
  void maintenance_stillPossibleOnAnInstanceWithAllTheChecksItMayHave() {
    admitSelf();
    done(catalogue.register(web("web-1"), SESSION));
    for (int i = 0; i < ServiceInstance.MAX_CHECKS; i++) {
      done(catalogue.registerCheck(ttl("n" + i, "", Duration.ofSeconds(10), Duration.ZERO)));
    }
    CompletableFuture<Boolean> oneMore =
        catalogue.registerCheck(ttl("n-more", "", Duration.ofSeconds(10), Duration.ZERO));
    loop.runPending();
    assertThat(oneMore).isCompletedExceptionally();

    assertThat(done(catalogue.registerCheck(CheckDefinition.maintenance("web-1", "")))).isTrue();
    assertThat(done(catalogue.nodeMaintenance(true, ""))).isEqualTo(1);

    assertThat(viewed("web").get(0).checks())
        .hasSize(ServiceInstance.MAX_CHECKS + ServiceInstance.MAX_MAINTENANCE_CHECKS);
    assertThat(catalogue.nodeChecks()).hasSize(ServiceInstance.MAX_CHECKS + 1);
  }

  @Test
  void nodeCheckIds_andInstanceCheckIds_neverShared() {
    admitSelf();
    done(
        catalogue.register(
            web("web-1", ttl("c1", "web-1", Duration.ofSeconds(10), Duration.ZERO)), SESSION));
    done(catalogue.registerCheck(ttl("node-c", "", Duration.ofSeconds(10), Duration.ZERO)));

    CompletableFuture<Boolean> nodeTakesInstances =
        catalogue.registerCheck(ttl("c1", "", Duration.ofSeconds(10), Duration.ZERO));
    CompletableFuture<ServiceInstance> instanceTakesNodes =
        catalogue.register(
            web("web-2", ttl("node-c", "web-2", Duration.ofSeconds(10), Duration.ZERO)), SESSION);
    loop.runPending();

    assertThat(nodeTakesInstances).isCompletedExceptionally();
    assertThat(instanceTakesNodes).isCompletedExceptionally();
    assertThat(viewed("web")).hasSize(1);
  }

  @Test
  void deregisterCheck_removesItFromTheInstanceAndStopsIt_unknownAnswersFalse() {
    admitSelf();
    done(
        catalogue.register(
            web("web-1", ttl("c1", "web-1", Duration.ofSeconds(10), Duration.ZERO)), SESSION));

    assertThat(done(catalogue.deregisterCheck("c1"))).isTrue();

    assertThat(viewed("web").get(0).checks()).isEmpty();
    assertThat(viewed("web").get(0).health()).isEqualTo(HealthStatus.PASSING);
    assertThat(done(catalogue.updateCheck("c1", HealthStatus.PASSING, ""))).isFalse();
    assertThat(done(catalogue.deregisterCheck("c1"))).isFalse();
    loop.advance(60_000); // its TTL would have run out: nothing changes any more
    assertThat(viewed("web").get(0).checks()).isEmpty();
  }

  @Test
  void ttlCheck_reportedThenNotReported_passesThenTurnsCriticalWithTtlExpired() {
    admitSelf();
    done(
        catalogue.register(
            web("web-1", ttl("c1", "web-1", Duration.ofSeconds(10), Duration.ZERO)), SESSION));
    assertThat(viewedCheck("web-1", "c1").status()).isEqualTo(HealthStatus.CRITICAL);

    assertThat(done(catalogue.updateCheck("c1", HealthStatus.PASSING, "fine"))).isTrue();
    assertThat(viewedCheck("web-1", "c1").status()).isEqualTo(HealthStatus.PASSING);
    assertThat(viewed("web").get(0).health()).isEqualTo(HealthStatus.PASSING);

    loop.advance(9_999);
    assertThat(viewedCheck("web-1", "c1").status()).isEqualTo(HealthStatus.PASSING);
    loop.advance(1);
    assertThat(viewedCheck("web-1", "c1"))
        .isEqualTo(
            new CheckStatus(
                "c1", "c1", CheckKind.TTL, HealthStatus.CRITICAL, HealthChecks.TTL_EXPIRED));
  }

  @Test
  void updateCheck_unknownAnswersFalse_andProbedCheckFails() {
    admitSelf();
    done(catalogue.register(web("web-1", http("h1", "web-1", Duration.ofSeconds(5))), SESSION));

    assertThat(done(catalogue.updateCheck("nope", HealthStatus.PASSING, ""))).isFalse();
    CompletableFuture<Boolean> probedOne = catalogue.updateCheck("h1", HealthStatus.PASSING, "");
    loop.runPending();
    assertThat(probedOne).isCompletedExceptionally();
  }

  @Test
  void httpCheck_probedEveryInterval_followsTheProbesOutcome() {
    admitSelf();
    CheckDefinition h1 = http("h1", "web-1", Duration.ofSeconds(5));
    done(catalogue.register(web("web-1", h1), SESSION));

    assertThat(probed).containsExactly(h1);
    probes.get(0).complete(new CheckProber.Outcome(HealthStatus.PASSING, "200 OK"));
    loop.runPending();
    assertThat(viewedCheck("web-1", "h1").status()).isEqualTo(HealthStatus.PASSING);

    loop.advance(5_000);
    assertThat(probed).hasSize(2);
    probes.get(1).complete(new CheckProber.Outcome(HealthStatus.CRITICAL, "503"));
    loop.runPending();
    assertThat(viewedCheck("web-1", "h1").status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(catalogue.checksByStatus()).containsEntry(HealthStatus.CRITICAL, 1);
  }

  @Test
  void httpCheck_probeFailingExceptionally_isCritical() {
    admitSelf();
    done(catalogue.register(web("web-1", http("h1", "web-1", Duration.ofSeconds(5))), SESSION));
    probes.get(0).complete(new CheckProber.Outcome(HealthStatus.PASSING, "ok"));
    loop.advance(5_000);
    probes.get(1).completeExceptionally(new IllegalStateException("boom"));
    loop.runPending();

    assertThat(viewedCheck("web-1", "h1").status()).isEqualTo(HealthStatus.CRITICAL);
  }

  @Test
  void probeThatNeverAnswers_isCriticalAfterItsTimeoutAndGrace_andItsLateOutcomeIsDropped() {
    admitSelf();
    done(catalogue.register(web("web-1", http("h1", "web-1", Duration.ofSeconds(30))), SESSION));
    long guard = 1_000 + AgentCatalogue.PROBE_GRACE.toMillis(); // http() times out after 1 s

    loop.advance(guard - 1);
    probes.get(0).complete(new CheckProber.Outcome(HealthStatus.PASSING, "just in time"));
    loop.runPending();
    assertThat(viewedCheck("web-1", "h1").status()).isEqualTo(HealthStatus.PASSING);

    // The second probe never answers: the guard records it critical.
    loop.advance(30_000 - guard + 1);
    assertThat(probes).hasSize(2);
    loop.advance(guard);
    assertThat(viewedCheck("web-1", "h1").status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(viewedCheck("web-1", "h1").output()).contains("no probe outcome");

    // Its answer, arriving while the third probe is in flight, is not taken for the third's.
    loop.advance(25_000); // the third probe started at 60 s; its own guard is not due yet
    assertThat(probes).hasSize(3);
    probes.get(1).complete(new CheckProber.Outcome(HealthStatus.PASSING, "late"));
    loop.runPending();
    assertThat(viewedCheck("web-1", "h1").status()).isEqualTo(HealthStatus.CRITICAL);
    probes.get(2).complete(new CheckProber.Outcome(HealthStatus.PASSING, "third"));
    loop.runPending();
    assertThat(viewedCheck("web-1", "h1").status()).isEqualTo(HealthStatus.PASSING);
  }

  @Test
  void deregisterCriticalAfter_removesTheInstanceEverywhereItIsHeld() {
    admitSelf();
    done(
        catalogue.register(
            web("web-1", ttl("c1", "web-1", Duration.ofMinutes(5), Duration.ofSeconds(30))),
            SESSION));
    done(catalogue.register(web("web-2"), SESSION));

    loop.advance(29_999);
    assertThat(viewed("web")).hasSize(2);
    loop.advance(1);
    assertThat(viewed("web")).extracting(ServiceInstance::id).containsExactly("web-2");
    assertThat(catalogue.localInstances()).extracting(ServiceInstance::id).containsExactly("web-2");
    assertThat(sent.get(sent.size() - 1).removedIds()).containsExactly("web-1");
  }

  @Test
  void reRegistration_withTheSameCheck_keepsItsStatus() {
    admitSelf();
    CheckDefinition c1 = ttl("c1", "web-1", Duration.ofSeconds(10), Duration.ZERO);
    done(catalogue.register(web("web-1", c1), SESSION));
    done(catalogue.updateCheck("c1", HealthStatus.PASSING, ""));

    done(catalogue.register(web("web-1", c1), SESSION));

    assertThat(viewedCheck("web-1", "c1").status()).isEqualTo(HealthStatus.PASSING);
  }

  @Test
  void blockingQuery_wakesOnChange_withTheNewView() {
    admitSelf();
    long index = catalogue.view().index();
    CompletableFuture<CatalogView> waiting =
        catalogue.awaitIndexAbove(index, Duration.ofMinutes(1));
    loop.runPending();
    assertThat(waiting).isNotDone();
    assertThat(catalogue.waiting()).isEqualTo(1);

    catalogue.register(web("web-1"), SESSION);
    loop.runPending();

    assertThat(waiting).isDone();
    assertThat(waiting.join().index()).isGreaterThan(index);
    assertThat(waiting.join().instanceCount()).isEqualTo(1);
    assertThat(catalogue.waiting()).isZero();
  }

  @Test
  void blockingQuery_withoutChange_answersTheCurrentViewAfterItsWait_andIsForgotten() {
    admitSelf();
    long index = catalogue.view().index();
    CompletableFuture<CatalogView> waiting =
        catalogue.awaitIndexAbove(index, Duration.ofSeconds(2));
    loop.advance(1_999);
    assertThat(waiting).isNotDone();
    loop.advance(1);

    assertThat(waiting).isDone();
    assertThat(waiting.join().index()).isEqualTo(index);
    assertThat(catalogue.waiting()).isZero();
    assertThat(loop.queued()).isZero();
  }

  @Test
  void blockingQuery_belowTheCurrentIndex_answersAtOnce() {
    admitSelf();
    done(catalogue.register(web("web-1"), SESSION));

    CompletableFuture<CatalogView> answer = catalogue.awaitIndexAbove(0, Duration.ofMinutes(1));

    assertThat(answer).isDone();
  }

  @Test
  void blockingQueries_beyondTheBound_answerAtOnce() {
    catalogue = newCatalogue(2);
    admitSelf();
    long index = catalogue.view().index();
    List<CompletableFuture<CatalogView>> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiting.add(catalogue.awaitIndexAbove(index, Duration.ofMinutes(1)));
    }
    loop.runPending();

    assertThat(waiting.subList(0, 2)).noneMatch(CompletableFuture::isDone);
    assertThat(waiting.get(2)).isDone();
  }

  @Test
  void committedRemovalOfAnotherOwner_dropsItsInstances_andWakesQueries() {
    plane.members("owner-a", "owner-b");
    loop.runPending();
    ServiceInstance theirs =
        new ServiceInstance(
            "api",
            "api-1",
            "127.0.0.2",
            9000,
            List.of(),
            Map.of(),
            Weights.DEFAULT,
            Environment.TESTING,
            "owner-b",
            SESSION,
            List.of());
    loop.execute(
        () -> {
          catalogue.replica().apply(new OwnerState("owner-b", 1, 1, List.of(theirs)));
          catalogue.replicaChanged();
        });
    loop.runPending();
    assertThat(viewed("api")).containsExactly(theirs);
    CompletableFuture<CatalogView> waiting =
        catalogue.awaitIndexAbove(catalogue.view().index(), Duration.ofMinutes(1));
    loop.runPending();

    plane.members("owner-a");
    loop.runPending();

    assertThat(viewed("api")).isEmpty();
    assertThat(waiting).isDone();
    assertThat(catalogue.owners()).isEqualTo(1);
  }

  @Test
  void admissionOfAnOwnerWhoseChangesWereRefused_asksForRepair() {
    AtomicInteger repairs = new AtomicInteger();
    catalogue.onRepairNeeded(repairs::incrementAndGet);
    plane.members("owner-a");
    loop.runPending();
    ServiceInstance early =
        new ServiceInstance(
            "api",
            "api-1",
            "",
            9000,
            List.of(),
            Map.of(),
            Weights.DEFAULT,
            Environment.TESTING,
            "owner-b",
            SESSION,
            List.of());
    loop.execute(() -> catalogue.replica().apply(new OwnerState("owner-b", 1, 1, List.of(early))));
    loop.runPending();
    assertThat(repairs.get()).isZero();

    plane.members("owner-a", "owner-b", "owner-c");
    loop.runPending();

    assertThat(repairs.get()).isEqualTo(1);
  }

  @Test
  void removedAndReadmittedUnderANewId_republishesItsInstancesAsTheNewOwner() {
    admitSelf();
    done(catalogue.register(web("web-1"), SESSION));
    long firstGeneration = sent.get(0).generation();
    loop.advance(1_000);

    ownerId.set("owner-a2"); // the bridge renewed the id when the cluster removed this node
    plane.members();
    loop.runPending();
    assertThat(catalogue.view().instanceCount()).isZero();
    assertThat(catalogue.ownerId()).isEqualTo("owner-a2");

    plane.members("owner-a2");
    loop.runPending();

    assertThat(viewed("web")).extracting(ServiceInstance::owner).containsExactly("owner-a2");
    assertThat(catalogue.localInstances())
        .extracting(ServiceInstance::owner)
        .containsExactly("owner-a2");
    CatalogDelta republished = sent.get(sent.size() - 1);
    assertThat(republished.owner()).isEqualTo("owner-a2");
    assertThat(republished.fromSeq()).isZero();
    assertThat(republished.generation()).isGreaterThan(firstGeneration);
    assertThat(republished.upserts()).extracting(ServiceInstance::id).containsExactly("web-1");
  }

  @Test
  void executorView_runsScheduledTasksOnTheLoopAfterTheirDelay() {
    List<String> ran = new ArrayList<>();
    catalogue.executor().schedule(() -> ran.add("once"), 100, TimeUnit.MILLISECONDS);
    var periodic =
        catalogue
            .executor()
            .scheduleWithFixedDelay(() -> ran.add("tick"), 0, 50, TimeUnit.MILLISECONDS);

    loop.advance(99);
    assertThat(ran).containsExactly("tick", "tick");
    loop.advance(1);
    assertThat(ran).containsExactly("tick", "tick", "once", "tick"); // queued first, runs first
    periodic.cancel(false);
    loop.advance(1_000);
    assertThat(ran).hasSize(4);
  }

  @Test
  void close_answersWaitingQueries_andRefusesLaterWrites() {
    admitSelf();
    CompletableFuture<CatalogView> waiting =
        catalogue.awaitIndexAbove(catalogue.view().index(), Duration.ofMinutes(1));
    loop.runPending();

    catalogue.close();
    loop.runPending();

    assertThat(waiting).isDone();
    assertThat(catalogue.register(web("web-1"), SESSION)).isCompletedExceptionally();
    assertThat(catalogue.awaitIndexAbove(catalogue.view().index(), Duration.ofMinutes(1)))
        .isCompletedWithValue(catalogue.view());
  }
}
