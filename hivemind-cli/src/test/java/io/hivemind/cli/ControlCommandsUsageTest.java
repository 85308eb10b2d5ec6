package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Usage mistakes in the control plane's commands: exit 2 and one sentence, before any agent is
 * called (the commands against an agent are tested in hivemind-it, control/http).
 */
class ControlCommandsUsageTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return HivemindCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "kv put onlykey|Missing required parameter: 'VALUE'",
        "kv delete|give the KEY to delete (or --recurse with a prefix)",
        "kv put k v --cas -1|--cas must be 0 or above, got -1",
        "kv put k v --flags x|Invalid value for option '--flags'",
        "operator raft transfer-leader|Missing required parameter: 'ID'",
        "operator raft remove-peer|Missing required parameter: 'ID'",
        "events --index x|Invalid value for option '--index'",
        "kv frobnicate|Unmatched argument"
      })
  void mistake_exit2WithTheSentence(String args, String sentence) {
    int code = run(args.split(" "));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("hivemind: ").contains(sentence);
    assertThat(err.toString()).doesNotContain("Exception");
    assertThat(out.toString()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"kv", "operator", "operator raft"})
  void groupWithoutSubcommand_usageAndExit2(String args) {
    int code = run(args.split(" "));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: hivemind " + args);
  }
}
