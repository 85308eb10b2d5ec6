package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code hivemind sim partitions}: the planner's figures. */
class SimPartitionsCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return HivemindCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void json_reportsBalanceCopiesAndPlanningTime() throws Exception {
    int code =
        run(
            "sim",
            "partitions",
            "--nodes",
            "30",
            "--partitions",
            "271",
            "--zones",
            "3",
            "--events",
            "join,crash:2",
            "--seed",
            "2",
            "--json");

    assertThat(code).as(err.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.path("scenario").path("partitions").asInt()).isEqualTo(271);
    assertThat(report.path("first_table").path("owners_max_over_mean").asDouble())
        .isBetween(1.0, 1.2);
    assertThat(report.path("events").path("crash").path("count").asInt()).isEqualTo(2);
    assertThat(report.path("events").path("crash").path("copies").asLong()).isPositive();
    assertThat(report.path("events").path("join").path("planning_ms_max").isNumber()).isTrue();
    assertThat(report.path("migrations_converged").asBoolean()).isTrue();
  }

  @Test
  void text_printsTheFigures() {
    int code = run("sim", "partitions", "--nodes", "10", "--partitions", "64", "--seed", "1");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("first table: owners max/mean")
        .contains("leave x1: copied")
        .contains("every migration converged");
  }

  @Test
  void badEvents_isAUsageErrorWithTheReason() {
    int code = run("sim", "partitions", "--events", "join,explode");

    assertThat(code).isEqualTo(HivemindCommand.USAGE_ERROR);
    assertThat(err.toString()).contains("'explode'");
  }
}
