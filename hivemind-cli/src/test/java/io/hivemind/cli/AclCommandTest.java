package io.hivemind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.AclRuleSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Usage of {@code hivemind acl}: rules parse, mistakes exit 2 with a sentence before any agent is
 * called (the commands against an agent are tested in hivemind-it, AclIT).
 */
class AclCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return HivemindCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void rule_prefixMayHoldColons() {
    CommandLine line = new CommandLine(new AclCommand.Create());

    assertThat(AclCommand.rule(line.getCommandSpec(), "key:app:config/:read"))
        .isEqualTo(new AclRuleSpec("key", "app:config/", "read"));
    assertThat(AclCommand.rule(line.getCommandSpec(), "service::write"))
        .isEqualTo(new AclRuleSpec("service", "", "write"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "acl token create --rule service|is not KIND:PREFIX:ACCESS",
        "acl token delete|Missing required parameter: 'ACCESSOR_ID'"
      })
  void mistake_exit2WithTheSentence(String args, String sentence) {
    int code = run(args.split(" "));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("hivemind: ").contains(sentence);
    assertThat(out.toString()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"acl", "acl token"})
  void groupWithoutSubcommand_usageAndExit2(String args) {
    assertThat(run(args.split(" "))).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: hivemind " + args);
  }
}
