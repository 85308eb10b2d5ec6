package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HivemindCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return HivemindCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void simMembership_json_printsOneObjectWithSnakeCaseFiguresInSeconds() throws Exception {
    int code =
        run(
            "sim",
            "membership",
            "--nodes",
            "12",
            "--duration",
            "30s",
            "--crash",
            "1",
            "--seed",
            "5",
            "--json");

    assertThat(code).as(err.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.path("scenario").path("seed").asLong()).isEqualTo(5);
    assertThat(report.path("simulated_seconds").asDouble()).isEqualTo(30.0);
    assertThat(report.path("join").path("converged").asInt()).isEqualTo(10);
    assertThat(report.path("join").path("late_join_seconds").isNumber()).isTrue();
    assertThat(report.path("crash").path("detected").asInt()).isEqualTo(1);
    assertThat(report.path("crash").path("dead_everywhere_seconds").path("p50").isNumber())
        .isTrue();
    JsonNode rates = report.path("per_node_per_second");
    assertThat(rates.path("total").path("bytes").asDouble()).isPositive();
    double lateJoinFrom = rates.path("after_late_join").path("from_seconds").asDouble();
    assertThat(lateJoinFrom).isPositive();
    assertThat(rates.path("steady").path("from_seconds").asDouble())
        .as("the steady window starts at or after the late join")
        .isGreaterThanOrEqualTo(lateJoinFrom);
    assertThat(rates.path("steady").path("bytes").asDouble()).isPositive();
    assertThat(report.path("false_positives").path("dead_events").asLong()).isZero();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void simMembership_sameSeed_sameFiguresButSpeed() throws Exception {
    String[] args = {
      "sim",
      "membership",
      "--nodes",
      "8",
      "--duration",
      "20s",
      "--loss",
      "5%",
      "--seed",
      "9",
      "--json"
    };
    run(args);
    JsonNode first = new ObjectMapper().readTree(out.toString());
    out.getBuffer().setLength(0);
    run(args);
    JsonNode second = new ObjectMapper().readTree(out.toString());

    ((ObjectNode) first).remove("sim_seconds_per_wall_second");
    ((ObjectNode) second).remove("sim_seconds_per_wall_second");
    assertThat(second).isEqualTo(first);
  }

  @Test
  void simMembership_text_showsAlignedFiguresWithUnitsAndTheSeed() {
    int code = run("sim", "membership", "--nodes", "10", "--duration", "20s", "--seed", "3");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("reproduce with: hivemind sim membership --nodes 10 --seed 3")
        .containsPattern("join -> known ALIVE by all +p50 \\d+\\.\\d{3} s")
        .contains("views agree (member tables)        yes")
        .contains("seed                               3")
        .containsPattern("whole run +after late join +steady")
        .containsPattern("window starts at +0\\.000 s +\\d+\\.\\d{3} s +\\d+\\.\\d{3} s")
        .contains("(steady: from when every node's broadcast queue had held at most 16 updates");
  }

  @Test
  void simMembership_runTooShortForSteadyState_saysNeverAndNull() throws Exception {
    String[] args = {"sim", "membership", "--nodes", "10", "--duration", "8s", "--seed", "3"};
    int code = run(args);

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).containsPattern("window starts at +0\\.000 s +\\S+ s +never");
    out.getBuffer().setLength(0);
    run(concat(args, "--json"));
    JsonNode rates = new ObjectMapper().readTree(out.toString()).path("per_node_per_second");
    assertThat(rates.path("steady").isNull()).isTrue();
    assertThat(rates.path("after_late_join").path("bytes").isNumber()).isTrue();
  }

  private static String[] concat(String[] args, String extra) {
    String[] all = Arrays.copyOf(args, args.length + 1);
    all[args.length] = extra;
    return all;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--latency|fast|'fast' is not a latency",
        "--duration|10|'10' is not a duration",
        "--partition|60s|'60s' is not a partition",
        "--loss|2|'2' is out of range",
        "--nodes|1|nodes must be 2..",
        "--profile|moon|unknown profile 'moon'",
        "--crash|99|crash + slow must leave a healthy node"
      })
  void simMembership_badValue_oneSentenceOnStderrAndUsageExitCode(
      String option, String value, String message) {
    int code = run("sim", "membership", option, value);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("hivemind: ")
        .contains(message)
        .contains("Try 'hivemind sim membership --help'.")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void simMembership_help_documentsEveryFormat() {
    int code = run("sim", "membership", "--help");

    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("--latency=LATENCY")
        .contains("1-5ms (uniform range)")
        .contains("START+LENGTH: 60s+30s")
        .contains("500ms, 90s, 10m, 1h")
        .contains("0.05 or 5%");
  }

  @Test
  void root_withoutSubcommand_printsUsageAndFails() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: hivemind").contains("sim");
  }
}
