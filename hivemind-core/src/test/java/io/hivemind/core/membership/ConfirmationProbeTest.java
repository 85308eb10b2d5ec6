package io.hivemind.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.api.MemberState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MembershipConfig#confirmationProbes()}: probing a suspect on hearing of its suspicion. */
class ConfirmationProbeTest {

  private static final long SEED = 3;

  private static NodeHarness withConfirmationProbes(int probes) {
    MembershipConfig config = MembershipConfig.lan().toBuilder().confirmationProbes(probes).build();
    return NodeHarness.started(config, SEED, 3);
  }

  private static List<GossipMessage.Ping> pingsTo(NodeHarness h, String name) {
    return h.out.messages(GossipMessage.Ping.class, p -> p.target().equals(name));
  }

  @Test
  void heardSuspicion_certainProbability_probesTheSuspectAtOnceCarryingTheSuspicion() {
    // 3 peers: N − 2 = 2 others could confirm; 2 expected probes make it certain.
    NodeHarness h = withConfirmationProbes(2);

    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));

    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
    assertThat(pingsTo(h, "p1")).hasSize(1);
    assertThat(h.out.packetsWith(GossipMessage.Ping.class).get(0).has(GossipMessage.Suspect.class))
        .as("the buddy system: the suspect learns of its suspicion from the probe")
        .isTrue();
  }

  @Test
  void heardSuspicion_off_noProbe() {
    NodeHarness h = withConfirmationProbes(0);

    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));

    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
    assertThat(pingsTo(h, "p1")).isEmpty();
  }

  @Test
  void repeatedSuspicion_probesOnlyOnce() {
    NodeHarness h = withConfirmationProbes(2);

    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));
    h.deliver(h.peer(3), new GossipMessage.Suspect("p1", 1, "p3"));

    assertThat(pingsTo(h, "p1")).hasSize(1);
  }

  @Test
  void failedConfirmationProbe_isThisNodesOwnVerdict_oneRoundLater() {
    NodeHarness h = withConfirmationProbes(2);
    h.responsive.add("p2");
    h.responsive.add("p3");
    long heardAt = h.now;
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));

    h.runUntil(heardAt + 999);
    assertThat(verdictsAbout(h, "p1")).isEmpty();
    h.runUntil(heardAt + 1_000);

    assertThat(verdictsAbout(h, "p1")).hasSize(1);
  }

  private static List<MembershipEvent> verdictsAbout(NodeHarness h, String name) {
    return h.out.events.stream()
        .filter(e -> e.type() == MembershipEvent.Type.PROBE_FAILED)
        .filter(e -> e.member().name().equals(name))
        .toList();
  }

  @Test
  void negativeConfirmationProbes_isRefused() {
    assertThatThrownBy(() -> MembershipConfig.lan().toBuilder().confirmationProbes(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }
}
