package io.hivemind.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.server.http.HttpHeadTarget;
import org.junit.jupiter.api.Test;

/** The short run of the HTTP head; docs/benchmarks.md, "Fuzzing", has the long one. */
class HttpHeadFuzzTest {

  private static final long SEED = 20_261_201L;

  @Test
  void httpHead_mutatedRequests_getWellFormedJsonErrorsNever500AndTheConnectionCloses() {
    Outcomes outcomes = PropertyCheck.run(new HttpHeadTarget(), SEED, 3_000);

    assertThat(outcomes.withPrefix("200")).isPositive();
    assertThat(outcomes.withPrefix("400 bad_request")).isPositive();
  }
}
