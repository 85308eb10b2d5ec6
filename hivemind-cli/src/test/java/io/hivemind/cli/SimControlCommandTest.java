package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code hivemind sim membership --control}: the modelled control plane's figures. */
class SimControlCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return HivemindCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void control_json_reportsRemovalsAndTheModel() throws Exception {
    int code =
        run(
            "sim",
            "membership",
            "--nodes",
            "20",
            "--duration",
            "30s",
            "--crash",
            "2",
            "--seed",
            "5",
            "--control",
            "--commit-delay",
            "30ms",
            "--json");

    assertThat(code).as(err.toString()).isZero();
    JsonNode control = new ObjectMapper().readTree(out.toString()).path("control");
    assertThat(control.path("commit_delay_seconds").asDouble()).isEqualTo(0.03);
    assertThat(control.path("crashed").asInt()).isEqualTo(2);
    assertThat(control.path("crashed_removed").asInt()).as("seed 5").isEqualTo(2);
    assertThat(control.path("crash_to_removal_seconds").path("p99").isNumber()).isTrue();
    assertThat(control.path("healthy_removed").asInt()).as("seed 5").isZero();
    assertThat(control.path("all_hold_committed_view").asBoolean()).as("seed 5").isTrue();
  }

  @Test
  void withoutControl_json_controlIsNull() throws Exception {
    int code =
        run("sim", "membership", "--nodes", "10", "--duration", "10s", "--seed", "3", "--json");

    assertThat(code).as(err.toString()).isZero();
    assertThat(new ObjectMapper().readTree(out.toString()).path("control").isNull()).isTrue();
  }

  @Test
  void control_text_printsTheSectionAndHowToReproduceIt() {
    int code =
        run("sim", "membership", "--nodes", "10", "--duration", "20s", "--seed", "3", "--control");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("--control --batch 100ms --commit-delay 20ms")
        .contains("Control plane (model:")
        .contains("healthy nodes removed")
        .contains("every live node holds the view");
  }

  @Test
  void control_singleObserver_isRefusedWithTheReason() {
    int code = run("sim", "membership", "--control", "--required-observers", "1");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("requiredObservers must be >= 2");
  }
}
