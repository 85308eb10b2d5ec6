package io.hivemind.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The short run of the configuration reader; docs/benchmarks.md, "Fuzzing", has the long one. */
class ConfigReaderFuzzTest {

  private static final long SEED = 20_261_201L;

  @Test
  void configReader_mutatedYaml_isAConfigOrOneLineConfigExceptionNamingTheFile() {
    Outcomes outcomes = PropertyCheck.run(new ConfigTarget(), SEED, 2_000);

    assertThat(outcomes.of("valid")).isPositive();
  }
}
