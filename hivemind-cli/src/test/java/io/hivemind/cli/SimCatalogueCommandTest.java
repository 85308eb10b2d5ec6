package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code hivemind sim catalogue}: the replication's figures with the wire codec's sizes. */
class SimCatalogueCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return HivemindCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void json_reportsVisibilityBytesAndConvergence() throws Exception {
    int code =
        run(
            "sim",
            "catalogue",
            "--nodes",
            "20",
            "--rate",
            "100",
            "--duration",
            "5s",
            "--crash",
            "1",
            "--partition",
            "1s+1s",
            "--seed",
            "3",
            "--json");

    assertThat(code).as(err.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.path("scenario").path("nodes").asInt()).isEqualTo(20);
    assertThat(report.path("visible_everywhere_ms").path("count").asInt()).isPositive();
    // Real encodings: a one-instance delta is tens of bytes, so a node moves some per second.
    assertThat(report.path("bytes_per_node_per_second").path("mean").asLong()).isPositive();
    assertThat(report.path("repairs_deferred").isNumber()).isTrue();
    assertThat(report.path("heal_convergence_ms").isNumber()).isTrue();
    assertThat(report.path("converged").asBoolean()).isTrue();
  }

  @Test
  void text_printsTheFigures() {
    int code = run("sim", "catalog", "--nodes", "10", "--rate", "50", "--duration", "2s");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("visible everywhere: p50")
        .contains("every live replica equals the owners' ledgers");
  }

  @Test
  void badScenario_isAUsageErrorWithTheReason() {
    int code = run("sim", "catalogue", "--nodes", "3", "--control", "3");

    assertThat(code).isEqualTo(HivemindCommand.USAGE_ERROR);
    assertThat(err.toString()).contains("control nodes");
  }
}
