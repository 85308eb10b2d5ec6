package io.hivemind.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MembershipConfigTest {

  private final MembershipConfig lan = MembershipConfig.lan();

  @ParameterizedTest(name = "N={0} -> min {1} ms, max {2} ms")
  @CsvSource({
    // suspicionMult (2) × log10(max(N, 10)) × probeInterval (1 s); max = 6 × min.
    "1, 2000, 12000",
    "10, 2000, 12000",
    "100, 4000, 24000",
    "1000, 6000, 36000",
    "5000, 7397, 44382",
  })
  void suspicionTimeouts_lanVectors_scaleWithLog10OfMembers(int members, long min, long max) {
    assertThat(lan.suspicionMinTimeoutMillis(members)).isEqualTo(min);
    assertThat(lan.suspicionMaxTimeoutMillis(members)).isEqualTo(max);
  }

  @Test
  void suspicionMaxTimeoutMillis_isMultipleOfMin() {
    MembershipConfig config = lan.toBuilder().suspicionMult(3).suspicionMaxTimeoutMult(4).build();

    assertThat(config.suspicionMinTimeoutMillis(100)).isEqualTo(6_000);
    assertThat(config.suspicionMaxTimeoutMillis(100)).isEqualTo(24_000);
  }

  @ParameterizedTest(name = "N={0} -> {1} transmissions")
  @CsvSource({"1, 5", "9, 5", "10, 10", "99, 10", "100, 15", "999, 15", "1000, 20", "5000, 20"})
  void retransmitLimit_lanVectors_isMultTimesCeilLog10(int members, int limit) {
    assertThat(lan.retransmitLimit(members)).isEqualTo(limit);
  }

  @ParameterizedTest(name = "N={0} -> {1} ms")
  @CsvSource({
    // Base up to 32 members, then base × N / 32 (design note of pushPullIntervalMillis and
    // docs/protocol/membership.md: "15.6 min at 1 000 members").
    "1, 30000",
    "32, 30000",
    "33, 30937",
    "64, 60000",
    "100, 93750",
    "1000, 937500",
    "5000, 4687500",
    "100000, 93750000",
  })
  void pushPullIntervalMillis_lanVectors_stretchInProportionAbove32Members(
      int members, long millis) {
    assertThat(lan.pushPullIntervalMillis(members)).isEqualTo(millis);
  }

  @Test
  void pushPullIntervalMillis_above32Members_keepsPerNodeRecordRateConstant() {
    // One exchange per node per interval, each carrying N records: bytes per node per second stay
    // at the 32-member level.
    for (int members = 33; members <= 10_000; members += 997) {
      double recordsPerSecond = members * 1_000.0 / lan.pushPullIntervalMillis(members);
      assertThat(recordsPerSecond).as("N=%d", members).isCloseTo(32 / 30.0, within(0.01));
    }
  }

  @Test
  void pushPullIntervalMillis_largestCluster_doesNotOverflow() {
    assertThat(lan.pushPullIntervalMillis(Integer.MAX_VALUE))
        .isEqualTo(30_000L * Integer.MAX_VALUE / 32);
  }

  @Test
  void build_probeTimeoutEqualToInterval_namesBothValues() {
    MembershipConfig.Builder builder =
        lan.toBuilder().probeInterval(Duration.ofSeconds(1)).probeTimeout(Duration.ofSeconds(1));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probeTimeout (PT1S)")
        .hasMessageContaining("probeInterval (PT1S)");
  }

  @Test
  void build_probeTimeoutLongerThanInterval_fails() {
    MembershipConfig.Builder builder = lan.toBuilder().probeTimeout(Duration.ofSeconds(2));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT2S");
  }

  @Test
  void build_joinRetryInitialAboveMax_namesBothValues() {
    MembershipConfig.Builder builder =
        lan.toBuilder()
            .joinRetryInitial(Duration.ofMinutes(10))
            .joinRetryMax(Duration.ofMinutes(5));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT10M")
        .hasMessageContaining("PT5M");
  }

  @Test
  void probeInterval_negative_namesFieldAndValue() {
    MembershipConfig.Builder builder = lan.toBuilder();

    assertThatThrownBy(() -> builder.probeInterval(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probeInterval")
        .hasMessageContaining("PT-0.005S");
  }

  @Test
  void probeTimeout_zero_isRejected() {
    MembershipConfig.Builder builder = lan.toBuilder();

    assertThatThrownBy(() -> builder.probeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probeTimeout")
        .hasMessageContaining("PT0S");
  }

  @Test
  void gossipToTheDeadTime_negative_isRejectedButZeroAllowed() {
    MembershipConfig.Builder builder = lan.toBuilder();

    assertThatThrownBy(() -> builder.gossipToTheDeadTime(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gossipToTheDeadTime")
        .hasMessageContaining("PT-1S");
    assertThat(builder.gossipToTheDeadTime(Duration.ZERO).build().gossipToTheDeadTime())
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void intSetters_belowMinimum_nameFieldAndValue() {
    MembershipConfig.Builder builder = lan.toBuilder();

    assertThatThrownBy(() -> builder.indirectChecks(-1))
        .hasMessage("indirectChecks must be at least 0, got -1");
    assertThatThrownBy(() -> builder.suspicionMult(0))
        .hasMessage("suspicionMult must be at least 1, got 0");
    assertThatThrownBy(() -> builder.retransmitMult(-3))
        .hasMessage("retransmitMult must be at least 1, got -3");
    assertThatThrownBy(() -> builder.suspicionConfirmations(-1))
        .hasMessage("suspicionConfirmations must be at least 0, got -1");
    assertThatThrownBy(() -> builder.gossipNodes(0))
        .hasMessage("gossipNodes must be at least 1, got 0");
    assertThatThrownBy(() -> builder.maxQueuedBroadcasts(15))
        .hasMessage("maxQueuedBroadcasts must be at least 16, got 15");
    assertThatThrownBy(() -> builder.maxMembers(1))
        .hasMessage("maxMembers must be at least 2, got 1");
  }

  @Test
  void maxMembers_default_twiceTheLargestSimulatedCluster() {
    assertThat(lan.maxMembers()).isEqualTo(MembershipConfig.DEFAULT_MAX_MEMBERS).isEqualTo(20_000);
    assertThat(lan.toBuilder().maxMembers(50).build().maxMembers()).isEqualTo(50);
  }

  @Test
  void maxPacketSize_outOfRange_namesValue() {
    MembershipConfig.Builder builder = lan.toBuilder();

    assertThatThrownBy(() -> builder.maxPacketSize(511)).hasMessageContaining("511");
    assertThatThrownBy(() -> builder.maxPacketSize(65_001)).hasMessageContaining("65001");
    assertThat(builder.maxPacketSize(512).build().maxPacketSize()).isEqualTo(512);
  }

  @Test
  void durationSetter_null_namesField() {
    MembershipConfig.Builder builder = lan.toBuilder();

    assertThatThrownBy(() -> builder.probeInterval(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("probeInterval");
  }

  @Test
  void lan_defaults_areTheNamedConstants() {
    assertThat(lan.probeInterval()).isEqualTo(MembershipConfig.DEFAULT_PROBE_INTERVAL);
    assertThat(lan.probeTimeout()).isEqualTo(MembershipConfig.DEFAULT_PROBE_TIMEOUT);
    assertThat(lan.suspicionMult()).isEqualTo(MembershipConfig.DEFAULT_SUSPICION_MULT);
    assertThat(lan.retransmitMult()).isEqualTo(MembershipConfig.DEFAULT_RETRANSMIT_MULT);
    assertThat(lan.maxPacketSize()).isEqualTo(MembershipConfig.DEFAULT_MAX_PACKET_SIZE);
    assertThat(lan.tcpFallbackProbe()).isTrue();
  }

  @Test
  void profile_lan_isLan() {
    assertThat(MembershipConfig.profile("lan").toString()).isEqualTo(lan.toString());
  }

  @Test
  void profile_wanAnyCaseAndSpaces_isWan() {
    MembershipConfig wan = MembershipConfig.profile(" WAN ");

    assertThat(wan.toString()).isEqualTo(MembershipConfig.wan().toString());
    assertThat(wan.probeInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(wan.probeTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void profile_local_isLocal() {
    MembershipConfig local = MembershipConfig.profile("local");

    assertThat(local.toString()).isEqualTo(MembershipConfig.local().toString());
    assertThat(local.probeTimeout()).isEqualTo(Duration.ofMillis(200));
    assertThat(local.leavePropagateTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void profile_unknownName_namesItAndTheChoices() {
    assertThatThrownBy(() -> MembershipConfig.profile("bogus"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bogus'")
        .hasMessageContaining("lan, wan or local");
  }

  @Test
  void profile_null_isRejected() {
    assertThatThrownBy(() -> MembershipConfig.profile(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void toBuilder_roundTrip_keepsEveryField() {
    MembershipConfig wan = MembershipConfig.wan();
    MembershipConfig copy = wan.toBuilder().build();

    assertThat(copy).usingRecursiveComparison().isEqualTo(wan);
  }
}
