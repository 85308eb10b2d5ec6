package io.hivemind.core.membership;

import static io.hivemind.core.membership.MembershipEvent.Type.PROBE_ANSWERED;
import static io.hivemind.core.membership.MembershipEvent.Type.PROBE_FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node's own probe verdicts as events (issue 10: observers for the control plane). */
class ProbeVerdictsTest {

  private static final long SEED = 7;

  private static List<MembershipEvent> verdicts(NodeHarness h) {
    return h.out.events.stream()
        .filter(e -> e.type() == PROBE_FAILED || e.type() == PROBE_ANSWERED)
        .toList();
  }

  /** Runs until the node's first probe of its only peer has failed. */
  private static NodeHarness afterFailedProbe() {
    // A long suspicion keeps the peer SUSPECT (and probed) rather than DEAD for a while.
    MembershipConfig config = MembershipConfig.lan().toBuilder().suspicionMult(20).build();
    NodeHarness h = NodeHarness.started(config, SEED, 1);
    h.runUntil(5_000, () -> h.state("p1") == MemberState.SUSPECT);
    return h;
  }

  @Test
  void failedProbe_emitsProbeFailed_withTheProbedIncarnation() {
    NodeHarness h = afterFailedProbe();

    assertThat(verdicts(h)).hasSize(1);
    MembershipEvent failed = verdicts(h).get(0);
    assertThat(failed.type()).isEqualTo(PROBE_FAILED);
    assertThat(failed.member().name()).isEqualTo("p1");
    assertThat(failed.member().incarnation()).isEqualTo(1);
  }

  @Test
  void laterProbeAnswered_emitsProbeAnsweredOnce() {
    NodeHarness h = afterFailedProbe();
    h.responsive.add("p1");

    h.runUntil(h.now + 10_000);

    assertThat(verdicts(h)).extracting(MembershipEvent::type).endsWith(PROBE_ANSWERED);
    assertThat(verdicts(h).stream().filter(e -> e.type() == PROBE_ANSWERED)).hasSize(1);
  }

  @Test
  void refutation_aboveTheFailedIncarnation_emitsProbeAnswered() {
    NodeHarness h = afterFailedProbe();

    h.deliver(h.peer(1), h.peer(1).alive(2));

    MembershipEvent last = verdicts(h).get(verdicts(h).size() - 1);
    assertThat(last.type()).isEqualTo(PROBE_ANSWERED);
    assertThat(last.member().incarnation()).isEqualTo(2);
  }

  @Test
  void suspicionHeardByGossip_isNoVerdictOfOurs() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.allResponsive();

    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));
    h.deliver(h.peer(1), h.peer(1).alive(2));

    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
    assertThat(verdicts(h)).isEmpty();
  }

  @Test
  void answeredProbe_withoutEarlierFailure_emitsNothing() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    h.allResponsive();

    h.runUntil(5_000);

    assertThat(h.node.stats().probes()).isPositive();
    assertThat(verdicts(h)).isEmpty();
  }
}
