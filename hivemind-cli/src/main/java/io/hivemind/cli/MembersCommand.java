package io.hivemind.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hivemind.api.AgentMember;
import io.hivemind.api.MemberState;
import io.hivemind.client.HivemindJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code hivemind members}: the cluster's members as the local agent sees them. */
@Command(
    name = "members",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "List the cluster's members as the agent sees them, sorted by name.")
final class MembersCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private AgentAddressOptions agent;

  @Option(
      names = "--status",
      paramLabel = "STATE",
      converter = StateText.class,
      description = "Only members in this state: alive, suspect, dead or left.")
  private MemberState status;

  @Option(names = "--json", description = "Print the API's JSON array instead of a table.")
  private boolean json;

  @Override
  public Integer call() {
    return agent.call(
        spec,
        client -> {
          List<AgentMember> members = status == null ? client.members() : client.members(status);
          PrintWriter out = spec.commandLine().getOut();
          out.print(json ? toJson(members) + System.lineSeparator() : MembersText.table(members));
          out.flush();
          return 0;
        });
  }

  private static String toJson(List<AgentMember> members) {
    try {
      return HivemindJson.newMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(members);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write members read a moment ago", e);
    }
  }

  /** {@code --status}: a state name in any case. */
  static final class StateText implements ITypeConverter<MemberState> {
    @Override
    public MemberState convert(String text) {
      try {
        return MemberState.valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "unknown state '" + text + "': use alive, suspect, dead or left");
      }
    }
  }
}
