package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Usage mistakes in {@code hivemind state}: exit 2 and one sentence, before any agent is called
 * (the commands against agents are tested in hivemind-it, state).
 */
class StateCommandUsageTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return HivemindCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "state get onlymap|Missing required parameter: 'KEY'",
        "state put m k|give a VALUE or --file, not both",
        "state put m k v --file f|give a VALUE or --file, not both",
        "state put m k v --cas -1|--cas must be 0 or above, got -1",
        "state put m k v --cas x|Invalid value for option '--cas'",
        "state put m k --file /nonexistent/hivemind-state-value|cannot read --file",
        "state delete m|Missing required parameter: 'KEY'",
        "state frobnicate|Unmatched argument"
      })
  void mistake_exit2WithTheSentence(String args, String sentence) {
    int code = run(args.split(" "));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("hivemind: ").contains(sentence);
    assertThat(err.toString()).doesNotContain("Exception");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void groupWithoutSubcommand_usageAndExit2() {
    int code = run("state");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: hivemind state");
  }
}
