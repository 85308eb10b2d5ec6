package io.hivemind.core.catalog;

import static io.hivemind.core.catalog.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The digest-repair rule both the agent's relay and the simulator run, one link at a time. */
class DigestRepairTest {

  private static final Predicate<String> CARRIES_ALL = owner -> true;

  private final DigestRepair link = new DigestRepair();

  private static OwnerVersion v(long seq) {
    return new OwnerVersion(1, seq);
  }

  @Test
  void answer_firstExchange_sendsEveryOwnerThePeerLacksOrIsBehindOn() {
    DigestRepair.Answer answer =
        link.answer(
            Map.of("a", v(1), "b", v(2), "c", v(3), "d", v(4)),
            Map.of("a", v(1), "b", v(1), "d", v(5)),
            CARRIES_ALL);

    // a: equal; b: behind; c: not held by the peer; d: the peer is ahead.
    assertThat(answer.owners()).containsExactlyInAnyOrder("b", "c");
    assertThat(answer.deferred()).isZero();
  }

  @Test
  void answer_firstExchange_neverDefers_evenForAnOwnerTheLinkCarries() {
    DigestRepair.Answer answer = link.answer(Map.of("a", v(9)), Map.of("a", v(5)), CARRIES_ALL);

    assertThat(answer.owners()).containsExactly("a");
    assertThat(answer.deferred()).isZero();
  }

  @Test
  void answer_peerBehindTwiceAndMovedSince_deferred() {
    link.answer(Map.of("a", v(5)), Map.of("a", v(3)), CARRIES_ALL);

    DigestRepair.Answer answer = link.answer(Map.of("a", v(8)), Map.of("a", v(6)), CARRIES_ALL);

    assertThat(answer.owners()).isEmpty();
    assertThat(answer.deferred()).isEqualTo(1);
  }

  @Test
  void answer_peerMovedToANewGenerationButStillBehind_deferred() {
    link.answer(Map.of("a", new OwnerVersion(2, 4)), Map.of("a", v(9)), CARRIES_ALL);

    DigestRepair.Answer answer =
        link.answer(
            Map.of("a", new OwnerVersion(2, 6)), Map.of("a", new OwnerVersion(2, 1)), CARRIES_ALL);

    assertThat(answer.deferred()).isEqualTo(1);
  }

  @Test
  void answer_peerBehindTwiceButStoodStill_sent() {
    link.answer(Map.of("a", v(5)), Map.of("a", v(3)), CARRIES_ALL);

    DigestRepair.Answer answer = link.answer(Map.of("a", v(8)), Map.of("a", v(3)), CARRIES_ALL);

    assertThat(answer.owners()).containsExactly("a");
    assertThat(answer.deferred()).isZero();
  }

  @Test
  void answer_deferredOnce_sentWhenThePeerThenStandsStill() {
    link.answer(Map.of("a", v(5)), Map.of("a", v(3)), CARRIES_ALL);
    assertThat(link.answer(Map.of("a", v(6)), Map.of("a", v(4)), CARRIES_ALL).deferred())
        .isEqualTo(1);

    // The deferred round remembered seq 4: the peer still there means its changes never came.
    DigestRepair.Answer answer = link.answer(Map.of("a", v(6)), Map.of("a", v(4)), CARRIES_ALL);

    assertThat(answer.owners()).containsExactly("a");
  }

  @Test
  void answer_ownerTheLinkDoesNotCarry_sentEvenWhenThePeerMoved() {
    Predicate<String> onlyB = "b"::equals;
    link.answer(Map.of("a", v(5), "b", v(5)), Map.of("a", v(3), "b", v(3)), onlyB);

    DigestRepair.Answer answer =
        link.answer(Map.of("a", v(8), "b", v(8)), Map.of("a", v(6), "b", v(6)), onlyB);

    // Nothing of a is in flight on this link, so nothing but the state can catch the peer up.
    assertThat(answer.owners()).containsExactly("a");
    assertThat(answer.deferred()).isEqualTo(1);
  }

  @Test
  void answer_peerThatHoldsNothingOfTheOwner_sentEveryTime() {
    link.answer(Map.of("a", v(5)), Map.of(), CARRIES_ALL);

    DigestRepair.Answer answer = link.answer(Map.of("a", v(6)), Map.of(), CARRIES_ALL);

    assertThat(answer.owners()).containsExactly("a");
    assertThat(link.remembered()).isZero();
  }

  @Test
  void answer_peerEqualOrAhead_nothingSentNothingRemembered() {
    DigestRepair.Answer answer =
        link.answer(Map.of("a", v(5), "b", v(5)), Map.of("a", v(5), "b", v(7)), CARRIES_ALL);

    assertThat(answer.owners()).isEmpty();
    assertThat(answer.deferred()).isZero();
    assertThat(link.remembered()).isZero();
  }

  @Test
  void answer_ownerNoLongerBehind_forgotten_soBeingBehindAgainIsAFirstTime() {
    link.answer(Map.of("a", v(5)), Map.of("a", v(3)), CARRIES_ALL);
    assertThat(link.remembered()).isEqualTo(1);
    link.answer(Map.of("a", v(5)), Map.of("a", v(5)), CARRIES_ALL); // caught up
    assertThat(link.remembered()).isZero();

    DigestRepair.Answer answer = link.answer(Map.of("a", v(9)), Map.of("a", v(7)), CARRIES_ALL);

    assertThat(answer.owners()).containsExactly("a");
    assertThat(answer.deferred()).isZero();
  }

  @Test
  void answer_ownerNoLongerHeldHere_forgotten() {
    link.answer(Map.of("a", v(5)), Map.of("a", v(3)), CARRIES_ALL);

    link.answer(Map.of(), Map.of("a", v(4)), CARRIES_ALL); // a was removed here

    assertThat(link.remembered()).isZero();
  }

  @Test
  void answer_linksRememberSeparately() {
    DigestRepair other = new DigestRepair();
    link.answer(Map.of("a", v(5)), Map.of("a", v(3)), CARRIES_ALL);

    // The other link never saw its peer behind: its first answer holds the state.
    assertThat(other.answer(Map.of("a", v(8)), Map.of("a", v(6)), CARRIES_ALL).owners())
        .containsExactly("a");
    assertThat(link.answer(Map.of("a", v(8)), Map.of("a", v(6)), CARRIES_ALL).owners()).isEmpty();
  }

  /** What newerThan used to compute: the owners' states a peer with an older digest lacks. */
  @Test
  void answer_onAReplicasDigest_namesTheStatesThePeerLacks() {
    CatalogReplica replica = new CatalogReplica();
    replica.ownerAdmitted("a");
    replica.ownerAdmitted("b");
    replica.apply(
        new CatalogDelta("a", 1, 0, 1, List.of(instance("a", "web", "w1", 80)), List.of()));
    replica.apply(
        new CatalogDelta("b", 1, 0, 1, List.of(instance("b", "web", "w1", 80)), List.of()));
    replica.apply(
        new CatalogDelta("b", 1, 1, 2, List.of(instance("b", "web", "w2", 80)), List.of()));

    DigestRepair.Answer answer =
        link.answer(replica.digest(), Map.of("a", v(1), "b", v(1)), CARRIES_ALL);

    assertThat(answer.owners()).containsExactly("b");
    assertThat(replica.state("b").instances()).hasSize(2);
    assertThat(replica.digest()).containsEntry("a", v(1));
  }

  @Test
  void answer_nullArgument_refusedWithItsName() {
    assertThatThrownBy(() -> link.answer(Map.of(), null, CARRIES_ALL))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("peerDigest");
  }
}
