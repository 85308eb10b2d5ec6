package io.hivemind.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The short run of the gossip decoder (docs/benchmarks.md, "Fuzzing", has the long one): seeded
 * trials of {@link GossipTarget}; a failure prints its seed, trial, shrunk draws and input.
 */
class GossipDecoderFuzzTest {

  private static final long SEED = 20_261_201L;

  @Test
  void gossipDecoder_mutatedPacketsAndFrames_neverThrowCountEveryDropAndKeepTheNodeWorking() {
    Outcomes outcomes = PropertyCheck.run(new GossipTarget(), SEED, 3_000);

    assertThat(outcomes.of("packet accepted")).isPositive();
    assertThat(outcomes.withPrefix("packet MALFORMED")).isPositive();
  }
}
