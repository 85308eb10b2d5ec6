package io.hivemind.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthChecksTest {

  private final HealthChecks checks = new HealthChecks();

  static CheckDefinition ttl(String checkId, String serviceId, long ttlMillis, long deregMillis) {
    return new CheckDefinition(
        checkId,
        checkId,
        serviceId,
        CheckKind.TTL,
        Duration.ofMillis(ttlMillis),
        Duration.ZERO,
        Duration.ZERO,
        "",
        "GET",
        Map.of(),
        false,
        Duration.ofMillis(deregMillis),
        HealthStatus.CRITICAL);
  }

  static CheckDefinition http(String checkId, String serviceId, long intervalMillis) {
    return new CheckDefinition(
        checkId,
        checkId,
        serviceId,
        CheckKind.HTTP,
        Duration.ZERO,
        Duration.ofMillis(intervalMillis),
        Duration.ofSeconds(1),
        "http://127.0.0.1:1/health",
        "GET",
        Map.of(),
        false,
        Duration.ZERO,
        HealthStatus.CRITICAL);
  }

  @Test
  void ttlCheck_notReportedWithinTtl_turnsCriticalWithTtlExpired() {
    checks.add(ttl("c1", "web-1", 10_000, 0), HealthStatus.CRITICAL, 0);
    checks.report("c1", HealthStatus.PASSING, "ok", 1_000);

    assertThat(checks.nextDueMillis()).isEqualTo(11_000);
    assertThat(checks.tick(10_999).isEmpty()).isTrue();
    HealthTick tick = checks.tick(11_000);

    assertThat(tick.results())
        .containsExactly(
            new CheckResult("web-1", "c1", HealthStatus.CRITICAL, HealthChecks.TTL_EXPIRED));
    assertThat(checks.status("c1")).contains(HealthStatus.CRITICAL);
    // Critical until the next report: it does not expire again and again.
    assertThat(checks.tick(50_000).isEmpty()).isTrue();
    assertThat(checks.nextDueMillis()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void ttlCheck_reportedInTime_staysAtItsReportedStatus() {
    checks.add(ttl("c1", "web-1", 10_000, 0), HealthStatus.CRITICAL, 0);
    for (long now = 5_000; now <= 60_000; now += 5_000) {
      assertThat(checks.tick(now).isEmpty()).isTrue();
      assertThat(checks.report("c1", HealthStatus.WARNING, "slow", now))
          .contains(new CheckResult("web-1", "c1", HealthStatus.WARNING, "slow"));
    }
    assertThat(checks.status("c1")).contains(HealthStatus.WARNING);
  }

  @Test
  void maintenanceCheck_criticalWithItsReason_neverProbedExpiredReportedOrDeregistering() {
    CheckDefinition maintenance = CheckDefinition.maintenance("web-1", "disk swap");
    checks.add(maintenance, maintenance.initialStatus(), 0);

    assertThat(maintenance.checkId()).isEqualTo("_service_maintenance:web-1");
    assertThat(maintenance.initialResult().status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(maintenance.initialResult().output()).isEqualTo("disk swap");
    assertThat(CheckDefinition.maintenance("web-1", "").initialResult().output())
        .isEqualTo(CheckDefinition.MAINTENANCE_DEFAULT_REASON);
    assertThat(checks.dueProbes(0)).isEmpty();
    assertThat(checks.nextDueMillis()).isEqualTo(Long.MAX_VALUE);
    HealthTick later = checks.tick(365L * 24 * 3_600_000);
    assertThat(later.results()).isEmpty();
    assertThat(later.deregistrations()).isEmpty();
    assertThat(checks.status(maintenance.checkId())).contains(HealthStatus.CRITICAL);
    assertThatThrownBy(
            () -> checks.report(maintenance.checkId(), HealthStatus.PASSING, "ok", 1_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a TTL check");
  }

  @Test
  void report_unknownCheck_isEmpty_andProbedCheck_isRefused() {
    checks.add(http("h1", "web-1", 5_000), HealthStatus.CRITICAL, 0);

    assertThat(checks.report("nope", HealthStatus.PASSING, "", 0)).isEmpty();
    assertThatThrownBy(() -> checks.report("h1", HealthStatus.PASSING, "", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("h1")
        .hasMessageContaining("not a TTL check");
  }

  @Test
  void probedCheck_isDueAtOnceThenEveryInterval_neverTwiceInFlight() {
    CheckDefinition h1 = http("h1", "web-1", 5_000);
    checks.add(h1, HealthStatus.CRITICAL, 100);

    assertThat(checks.dueProbes(100)).containsExactly(h1);
    assertThat(checks.dueProbes(100)).isEmpty();
    // Still in flight at the next interval: no second probe.
    assertThat(checks.dueProbes(5_100)).isEmpty();
    assertThat(checks.probeResult(h1, HealthStatus.PASSING, "200 OK", 5_200))
        .contains(new CheckResult("web-1", "h1", HealthStatus.PASSING, "200 OK"));
    assertThat(checks.nextDueMillis()).isEqualTo(5_100);
    assertThat(checks.dueProbes(5_200)).containsExactly(h1);
    assertThat(checks.nextDueMillis()).isEqualTo(Long.MAX_VALUE); // in flight again
  }

  @Test
  void probeInterval_belowConsulsMinimum_isRaisedToOneSecond() {
    CheckDefinition h1 = http("h1", "web-1", 10);
    checks.add(h1, HealthStatus.CRITICAL, 0);
    checks.dueProbes(0);
    checks.probeResult(h1, HealthStatus.PASSING, "", 5);

    assertThat(checks.nextDueMillis()).isEqualTo(1_000);
  }

  @Test
  void probeResult_forRemovedOrReplacedCheck_isIgnored() {
    CheckDefinition h1 = http("h1", "web-1", 5_000);
    checks.add(h1, HealthStatus.CRITICAL, 0);
    checks.dueProbes(0);
    CheckDefinition replaced = http("h1", "web-1", 7_000);
    checks.add(replaced, HealthStatus.CRITICAL, 10);

    assertThat(checks.probeResult(h1, HealthStatus.PASSING, "", 20)).isEmpty();
    checks.remove("h1");
    assertThat(checks.probeResult(replaced, HealthStatus.PASSING, "", 30)).isEmpty();
  }

  @Test
  void deregisterCriticalAfter_criticalThatLong_deregistersTheInstanceAndDropsItsChecks() {
    checks.add(ttl("c1", "web-1", 1_000, 30_000), HealthStatus.PASSING, 0);
    checks.add(http("h2", "web-1", 5_000), HealthStatus.PASSING, 0);
    checks.add(ttl("c3", "web-2", 1_000, 30_000), HealthStatus.PASSING, 0);
    checks.report("c3", HealthStatus.PASSING, "", 0);

    checks.tick(1_000); // both TTLs expire: critical since 1 s
    checks.report("c3", HealthStatus.PASSING, "back", 20_000); // web-2 recovers in time

    assertThat(checks.nextDueMillis()).isLessThanOrEqualTo(31_000);
    assertThat(checks.tick(30_999).deregistrations()).isEmpty();
    HealthTick tick = checks.tick(31_000);
    assertThat(tick.deregistrations()).containsExactly("web-1");
    assertThat(checks.definition("c1")).isEmpty();
    assertThat(checks.definition("h2")).isEmpty();
    assertThat(checks.definition("c3")).isPresent();
  }

  @Test
  void deregisterCriticalAfter_countsFromTheInitialCriticalStatus() {
    checks.add(ttl("c1", "web-1", 60_000, 10_000), HealthStatus.CRITICAL, 500);

    assertThat(checks.nextDueMillis()).isEqualTo(10_500);
    assertThat(checks.tick(10_500).deregistrations()).containsExactly("web-1");
  }

  @Test
  void deregisterCriticalAfter_aBreakInTheCriticalSpell_restartsTheCount() {
    checks.add(ttl("c1", "web-1", 60_000, 10_000), HealthStatus.CRITICAL, 0);
    checks.report("c1", HealthStatus.WARNING, "", 9_000);
    checks.report("c1", HealthStatus.CRITICAL, "", 9_500);
    checks.report("c1", HealthStatus.CRITICAL, "still", 12_000);

    assertThat(checks.tick(19_499).deregistrations()).isEmpty();
    assertThat(checks.tick(19_500).deregistrations()).containsExactly("web-1");
  }

  @Test
  void add_withoutTiming_isRefusedWithTheValue() {
    assertThatThrownBy(() -> checks.add(ttl("c1", "web-1", 0, 0), HealthStatus.CRITICAL, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("c1")
        .hasMessageContaining("ttl");
    assertThatThrownBy(() -> checks.add(http("h1", "web-1", 0), HealthStatus.CRITICAL, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval");
    assertThat(checks.size()).isZero();
  }

  @Test
  void removeInstance_dropsOnlyItsChecks_andCountsFollow() {
    checks.add(ttl("c1", "web-1", 1_000, 0), HealthStatus.CRITICAL, 0);
    checks.add(ttl("c2", "web-1", 1_000, 0), HealthStatus.PASSING, 0);
    checks.add(ttl("c3", "web-2", 1_000, 0), HealthStatus.WARNING, 0);

    assertThat(checks.countByStatus())
        .containsEntry(HealthStatus.PASSING, 1)
        .containsEntry(HealthStatus.WARNING, 1)
        .containsEntry(HealthStatus.CRITICAL, 1);
    assertThat(checks.removeInstance("web-1")).isEqualTo(List.of("c1", "c2"));
    assertThat(checks.size()).isEqualTo(1);
    assertThat(checks.countByStatus()).containsEntry(HealthStatus.CRITICAL, 0);
  }
}
