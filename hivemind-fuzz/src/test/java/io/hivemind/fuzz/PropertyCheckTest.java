package io.hivemind.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The short-run runner: seeded trials, and a failure shrunk to its simplest draws. */
class PropertyCheckTest {

  /** Up to ten numbers below 10,000; "broken" when they add up to 5,000 or more. */
  private static final FuzzTarget SUM_UNDER_5000 =
      new FuzzTarget() {
        @Override
        public String name() {
          return "sum";
        }

        @Override
        public void run(Choices choices, Outcomes outcomes) {
          int count = choices.between(0, 10);
          int sum = 0;
          for (int i = 0; i < count; i++) {
            sum += choices.below(10_000);
          }
          if (sum >= 5_000) {
            throw new FuzzFailure(
                "the sum stays under 5000",
                count + " numbers add up to " + sum,
                String.valueOf(sum).getBytes(StandardCharsets.US_ASCII));
          }
          outcomes.count(count == 0 ? "none" : "some");
        }
      };

  @Test
  void run_failingProperty_reportsSeedTrialAndTheSimplestDraws() {
    assertThatThrownBy(() -> PropertyCheck.run(SUM_UNDER_5000, 7, 1_000))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("fuzz target 'sum' broke a property at trial ")
        .hasMessageContaining(" of seed 7:")
        // From 3 numbers adding up to 8,497 to 2 exactly at the threshold: each draw is lowered
        // as far as it can go, and lowering the count would need another draw raised.
        .hasMessageContaining("3 numbers add up to 8497")
        .hasMessageContaining("shrunk to the draws (2, 1563, 3437):")
        .hasMessageContaining("2 numbers add up to 5000")
        .hasMessageContaining("input (4 bytes) hex: 35303030")
        .hasMessageContaining("replay it with PropertyCheck.replay(target, 2, 1563, 3437)");
  }

  @Test
  void replay_theShrunkDraws_failsTheSameWay() {
    assertThatThrownBy(() -> PropertyCheck.replay(SUM_UNDER_5000, 2, 1563, 3437))
        .isInstanceOf(FuzzFailure.class)
        .hasMessageStartingWith("the sum stays under 5000: 2 numbers add up to 5000");
  }

  @Test
  void run_holdingProperty_countsEveryInput() {
    FuzzTarget small =
        new FuzzTarget() {
          @Override
          public String name() {
            return "small";
          }

          @Override
          public void run(Choices choices, Outcomes outcomes) {
            outcomes.count(choices.below(2) == 0 ? "even" : "odd");
          }
        };

    Outcomes outcomes = PropertyCheck.run(small, 1, 500);

    assertThat(outcomes.inputs()).isEqualTo(500);
    assertThat(outcomes.of("even") + outcomes.of("odd")).isEqualTo(500);
    assertThat(outcomes.of("even")).isPositive();
    assertThat(outcomes.of("odd")).isPositive();
  }

  @Test
  void run_sameSeed_sameInputs() {
    StringBuilder first = new StringBuilder();
    StringBuilder second = new StringBuilder();
    for (StringBuilder log : new StringBuilder[] {first, second}) {
      PropertyCheck.run(
          new FuzzTarget() {
            @Override
            public String name() {
              return "log";
            }

            @Override
            public void run(Choices choices, Outcomes outcomes) {
              log.append(choices.draw()).append(',');
              outcomes.count("x");
            }
          },
          42,
          100);
    }

    assertThat(first.toString()).isEqualTo(second.toString());
  }
}
