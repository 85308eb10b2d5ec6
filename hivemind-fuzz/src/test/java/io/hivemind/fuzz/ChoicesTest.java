package io.hivemind.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Draws: recorded when fresh, the same when replayed, 0 (the simplest choice) once used up. */
class ChoicesTest {

  @Test
  void seeded_replayedFromItsDraws_makesTheSameChoices() {
    Choices fresh = Choices.seeded(3, 17);
    int[] made = {fresh.below(10), fresh.between(5, 9), fresh.below(1_000)};
    byte[] bytes = fresh.bytes(16);

    Choices replay = Choices.replay(fresh.draws());

    assertThat(new int[] {replay.below(10), replay.between(5, 9), replay.below(1_000)})
        .containsExactly(made);
    assertThat(replay.bytes(16)).isEqualTo(bytes);
  }

  @Test
  void replay_usedUp_drawsZeroTheSimplestChoice() {
    Choices replay = Choices.replay(7);

    assertThat(replay.below(5)).isEqualTo(2);
    assertThat(replay.below(5)).isZero();
    assertThat(replay.between(3, 9)).isEqualTo(3);
    assertThat(replay.oneIn(4)).isFalse();
    assertThat(replay.pick("first", "second")).isEqualTo("first");
  }

  @Test
  void seeded_consecutiveTrials_drawApart() {
    assertThat(Choices.seeded(1, 0).draw()).isNotEqualTo(Choices.seeded(1, 1).draw());
  }

  @Test
  void replay_negativeDraw_isRefused() {
    assertThatThrownBy(() -> Choices.replay(1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("draws are never negative, got -1");
  }
}
