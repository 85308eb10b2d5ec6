package io.hivemind.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.server.transport.StreamFramingTarget;
import org.junit.jupiter.api.Test;

/** The short run of the stream framing; docs/benchmarks.md, "Fuzzing", has the long one. */
class StreamFramingFuzzTest {

  private static final long SEED = 20_261_201L;

  @Test
  void streamFraming_arbitraryStreamsInArbitraryReads_endAsTheFramingRulesSay() {
    Outcomes outcomes = PropertyCheck.run(new StreamFramingTarget(), SEED, 3_000);

    assertThat(outcomes.of("server delivered")).isPositive();
    assertThat(outcomes.of("server oversized")).isPositive();
    assertThat(outcomes.of("server cut short")).isPositive();
    assertThat(outcomes.of("client delivered")).isPositive();
    assertThat(outcomes.of("server sealed unauthenticated")).isPositive();
  }
}
