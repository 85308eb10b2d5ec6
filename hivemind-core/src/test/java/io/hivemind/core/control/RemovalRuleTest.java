package io.hivemind.core.control;

import static io.hivemind.core.control.Observation.Kind.ALIVE;
import static io.hivemind.core.control.Observation.Kind.SUSPECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.membership.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RemovalRuleTest {

  private static final RemovalPolicy POLICY = new RemovalPolicy(1_000, 10_000, 2, 2);

  private final RemovalRule rule = new RemovalRule(POLICY);

  static List<ControlMember> members(int n) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                new ControlMember(
                    "m" + i, "n" + i, new Address("127.0.0.1", 7000 + i), List.of(), "", "", 1, i))
        .toList();
  }

  private static Observation suspect(String observer, String subject, long inc, int health) {
    return new Observation(observer, subject, subject, inc, SUSPECT, health, 0);
  }

  private static Observation suspect(String observer, String subject) {
    return suspect(observer, subject, 0, 0);
  }

  private static Observation alive(String observer, String subject, long inc) {
    return new Observation(observer, subject, subject, inc, ALIVE, 0, 0);
  }

  private List<String> removed(long now, int n) {
    return rule.decide(now, members(n)).stream().map(RemovalDecision::memberId).toList();
  }

  @Test
  void twoHealthyObservers_afterConfirm_removeTheSubject() {
    rule.observe(suspect("m1", "m0"), 0);
    rule.observe(suspect("m2", "m0"), 400);

    assertThat(removed(999, 5)).isEmpty();
    List<RemovalDecision> decisions = rule.decide(1_000, members(5));

    assertThat(decisions).hasSize(1);
    assertThat(decisions.get(0).memberId()).isEqualTo("m0");
    assertThat(decisions.get(0).observers()).containsExactly("m1", "m2");
    assertThat(rule.suspicions()).isEmpty(); // a decided member is forgotten
  }

  @Test
  void loneSuspicion_inAClusterWithOtherObservers_neverRemoves() {
    rule.observe(suspect("m1", "m0"), 0);

    assertThat(removed(1_000_000, 5)).isEmpty();
    assertThat(rule.suspicions()).hasSize(1);
  }

  @Test
  void loneSuspicion_inATwoMemberCluster_removesAfterTheTimeout() {
    rule.observe(suspect("m1", "m0"), 0);

    assertThat(removed(9_999, 2)).isEmpty();
    assertThat(removed(10_000, 2)).containsExactly("m0");
  }

  @Test
  void singleMember_isNeverRemoved() {
    rule.observe(suspect("m1", "m0"), 0);

    assertThat(removed(1_000_000, 1)).isEmpty();
  }

  @Test
  void requiredObservers_isCappedByTheOtherMembers() {
    RemovalRule strict = new RemovalRule(new RemovalPolicy(1_000, 10_000, 5, 2));
    strict.observe(suspect("m1", "m0"), 0);
    strict.observe(suspect("m2", "m0"), 0);

    assertThat(strict.decide(1_000, members(3))).hasSize(1);
  }

  @Test
  void requiredObservers_aboveTwo_waitsForThatMany() {
    RemovalRule strict = new RemovalRule(new RemovalPolicy(1_000, 10_000, 3, 2));
    strict.observe(suspect("m1", "m0"), 0);
    strict.observe(suspect("m2", "m0"), 0);
    assertThat(strict.decide(5_000, members(5))).isEmpty();

    strict.observe(suspect("m3", "m0"), 5_000);

    assertThat(strict.decide(5_000, members(5))).hasSize(1);
  }

  @Test
  void alive_fromTheObserver_clearsItsSuspicion() {
    rule.observe(suspect("m1", "m0"), 0);
    rule.observe(alive("m1", "m0", 0), 500);
    rule.observe(suspect("m2", "m0"), 600);

    assertThat(removed(5_000, 5)).isEmpty();
    assertThat(rule.suspicions()).extracting(Suspicion::observer).containsExactly("m2");
  }

  @Test
  void alive_atAHigherIncarnation_refutesEveryLowerSuspicion() {
    rule.observe(suspect("m1", "m0", 3, 0), 0);
    rule.observe(suspect("m2", "m0", 3, 0), 0);

    rule.observe(alive("m3", "m0", 4), 500);

    assertThat(removed(5_000, 5)).isEmpty();
    assertThat(rule.suspicions()).containsExactly(Suspicion.refutation("m0", 4, 500));
  }

  @Test
  void suspect_belowTheRefutedIncarnation_isIgnoredAsStale() {
    rule.observe(suspect("m1", "m0", 3, 0), 0);
    rule.observe(alive("m1", "m0", 4), 100);

    rule.observe(suspect("m2", "m0", 3, 0), 200);
    rule.observe(suspect("m3", "m0", 3, 0), 200);

    assertThat(removed(5_000, 5)).isEmpty();
  }

  @Test
  void suspect_atTheRefutedIncarnation_isCurrent() {
    rule.observe(suspect("m1", "m0", 3, 0), 0);
    rule.observe(alive("m1", "m0", 4), 100);

    rule.observe(suspect("m2", "m0", 4, 0), 200);
    rule.observe(suspect("m3", "m0", 4, 0), 300);

    List<RemovalDecision> decisions = rule.decide(1_200, members(5));
    assertThat(decisions).extracting(RemovalDecision::memberId).containsExactly("m0");
    assertThat(decisions.get(0).incarnation()).isEqualTo(4);
  }

  @Test
  void suspect_atAHigherIncarnation_clearsLowerSuspicions() {
    rule.observe(suspect("m1", "m0", 3, 0), 0);
    rule.observe(suspect("m2", "m0", 4, 0), 100);

    assertThat(removed(5_000, 5)).isEmpty();
    assertThat(rule.suspicions())
        .containsExactly(Suspicion.refutation("m0", 4, 100), new Suspicion("m0", "m2", 4, 100, 0));
  }

  @Test
  void repeatedSuspect_keepsItsStart() {
    rule.observe(suspect("m1", "m0"), 0);
    rule.observe(suspect("m1", "m0"), 900);
    rule.observe(suspect("m2", "m0"), 900);

    assertThat(removed(1_000, 5)).containsExactly("m0");
  }

  @Test
  void unhealthyObservers_doNotCountOnTheFastPath_butDoPastTheTimeout() {
    rule.observe(suspect("m1", "m0", 0, 3), 0);
    rule.observe(suspect("m2", "m0", 0, 0), 0);

    assertThat(removed(9_999, 5)).isEmpty();
    assertThat(removed(10_000, 5)).containsExactly("m0");
  }

  @Test
  void observations_aboutOrFromNonMembers_areIgnored() {
    rule.observe(suspect("m1", "ghost"), 0);
    rule.observe(suspect("m2", "ghost"), 0);
    rule.observe(suspect("stranger", "m0"), 0);
    rule.observe(suspect("m1", "m0"), 0);

    assertThat(removed(60_000, 5)).isEmpty();
    assertThat(rule.suspicions()).extracting(Suspicion::observer).containsExactly("m1");
  }

  @Test
  void selfObservation_isIgnored() {
    rule.observe(suspect("m0", "m0"), 0);

    assertThat(rule.suspicions()).isEmpty();
  }

  @Test
  void aliveWithoutSuspicion_keepsNoState() {
    rule.observe(alive("m1", "m0", 7), 0);

    assertThat(rule.suspicions()).isEmpty();
  }

  @Test
  void forget_dropsSuspicionsOfAndByTheMember() {
    rule.observe(suspect("m1", "m0"), 0);
    rule.observe(suspect("m2", "m0"), 0);
    rule.observe(suspect("m1", "m3"), 0);

    rule.forget("m1");

    assertThat(rule.suspicions())
        .extracting(Suspicion::subject, Suspicion::observer)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("m0", "m2"));
  }

  @Test
  void observersPerSubject_areBounded_keepingTheHealthiest() {
    for (int i = 1; i <= 10; i++) {
      rule.observe(suspect("m" + i, "m0", 0, 1), i);
    }
    assertThat(rule.suspicions()).hasSize(RemovalRule.MAX_OBSERVERS_PER_SUBJECT);

    rule.observe(suspect("m11", "m0", 0, 0), 20);

    assertThat(rule.suspicions())
        .hasSize(RemovalRule.MAX_OBSERVERS_PER_SUBJECT)
        .extracting(Suspicion::observer)
        .contains("m11")
        .doesNotContain("m8", "m9", "m10");
  }

  @Test
  void restoredRule_decidesLikeTheOriginal_randomObservations() {
    int decided = 0;
    for (long seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      RemovalRule original = new RemovalRule(POLICY);
      RemovalRule restored = null;
      List<String> fromOriginal = new ArrayList<>();
      List<String> fromRestored = new ArrayList<>();
      int n = 2 + random.nextInt(9);
      long now = 0;
      for (int step = 0; step < 400; step++) {
        now += random.nextInt(300);
        Observation o = randomObservation(random, n + 2);
        original.observe(o, now);
        if (restored != null) {
          restored.observe(o, now);
        }
        if (step == 150) {
          restored = new RemovalRule(POLICY);
          restored.restore(original.suspicions());
        }
        decideInto(original, now, n, fromOriginal, restored != null);
        if (restored != null) {
          decideInto(restored, now, n, fromRestored, true);
          assertThat(restored.suspicions()).as("seed %d", seed).isEqualTo(original.suspicions());
        }
      }
      assertThat(fromRestored).as("seed %d", seed).isEqualTo(fromOriginal);
      decided += fromOriginal.size();
    }
    assertThat(decided).as("the random walk must reach decisions to compare").isGreaterThan(10);
  }

  private static void decideInto(
      RemovalRule r, long now, int n, List<String> into, boolean record) {
    List<RemovalDecision> d = r.decide(now, members(n));
    if (record) {
      d.forEach(x -> into.add(now + ":" + x.memberId()));
    }
  }

  private static Observation randomObservation(Random random, int ids) {
    String observer = "m" + random.nextInt(ids);
    String subject = "m" + random.nextInt(ids);
    long inc = random.nextInt(4);
    int health = random.nextInt(4);
    return random.nextInt(3) == 0
        ? new Observation(observer, subject, subject, inc, ALIVE, health, 0)
        : suspect(observer, subject, inc, health);
  }

  @Test
  void policy_refusesNonsense() {
    assertThatThrownBy(() -> new RemovalPolicy(-1, 10, 2, 2)).hasMessageContaining("-1");
    assertThatThrownBy(() -> new RemovalPolicy(10, 5, 2, 2)).hasMessageContaining("5");
    assertThatThrownBy(() -> new RemovalPolicy(10, 50, 1, 2)).hasMessageContaining("1");
    assertThatThrownBy(() -> new RemovalPolicy(10, 50, 2, -1)).hasMessageContaining("-1");
  }
}
