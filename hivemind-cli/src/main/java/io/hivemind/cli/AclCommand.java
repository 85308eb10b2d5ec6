package io.hivemind.cli;

import io.hivemind.api.AclRuleSpec;
import io.hivemind.api.AclTokenInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hivemind acl token create | list | delete}: the cluster's ACL tokens (docs/acl.md). */
@Command(
    name = "acl",
    mixinStandardHelpOptions = true,
    description =
        "Manage ACL tokens (needs a token with acl write: --token or HIVEMIND_HTTP_TOKEN).",
    subcommands = {AclCommand.Token.class})
final class AclCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return HivemindCommand.USAGE_ERROR;
  }

  /** {@code acl token}. */
  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      description = "Create, list and delete tokens.",
      subcommands = {Create.class, ListTokens.class, Delete.class})
  static final class Token implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return HivemindCommand.USAGE_ERROR;
    }
  }

  /** {@code acl token create [--description D] [--management] [--rule KIND:PREFIX:ACCESS...]}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a token and print its AccessorID and SecretID (the secret is shown only now).")
  static final class Create implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Option(names = "--description", description = "Free text for people.")
    private String description = "";

    @Option(names = "--management", description = "The token may do everything.")
    private boolean management;

    @Option(
        names = "--rule",
        paramLabel = "KIND:PREFIX:ACCESS",
        description =
            "A rule, such as service:web:write or key:app/:read; KIND is service, key, node, agent,"
                + " operator or acl; ACCESS read, write or deny; repeat for several.")
    private List<String> rules = new ArrayList<>();

    @Option(names = "--json", description = "Print the API's JSON of the new token.")
    private boolean json;

    @Override
    public Integer call() {
      List<AclRuleSpec> parsed = new ArrayList<>();
      for (String rule : rules) {
        parsed.add(rule(spec, rule));
      }
      return agent.call(
          spec,
          client -> {
            AclTokenInfo token = client.createToken(description, management, parsed);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
              out.println(ControlText.json(token));
            } else {
              out.println("AccessorID:  " + token.accessorId());
              out.println("SecretID:    " + token.secretId());
            }
            return 0;
          });
    }
  }

  /** {@code KIND:PREFIX:ACCESS}; the prefix may hold colons (a KV key). */
  static AclRuleSpec rule(CommandSpec spec, String text) {
    int first = text.indexOf(':');
    int last = text.lastIndexOf(':');
    if (first < 0 || first == last) {
      throw new ParameterException(
          spec.commandLine(),
          "--rule '" + text + "' is not KIND:PREFIX:ACCESS, such as service:web:write");
    }
    return new AclRuleSpec(
        text.substring(0, first), text.substring(first + 1, last), text.substring(last + 1));
  }

  /** {@code acl token list [--json]}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens.")
  static final class ListTokens implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Option(names = "--json", description = "Print the API's JSON array of tokens.")
    private boolean json;

    @Override
    public Integer call() {
      return agent.call(
          spec,
          client -> {
            List<AclTokenInfo> tokens = client.tokens();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
              out.println(ControlText.json(tokens));
              return 0;
            }
            TextTable table = new TextTable("AccessorID", "Description", "Rules");
            for (AclTokenInfo token : tokens) {
              table.row(token.accessorId(), token.description(), rules(token));
            }
            out.print(table);
            return 0;
          });
    }

    private static String rules(AclTokenInfo token) {
      if (token.management()) {
        return "management";
      }
      return token.rules().stream()
          .map(r -> r.resource() + ":" + r.prefix() + ":" + r.access())
          .collect(Collectors.joining(" "));
    }
  }

  /** {@code acl token delete ACCESSOR_ID}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a token.")
  static final class Delete implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Parameters(paramLabel = "ACCESSOR_ID", description = "The token's AccessorID.")
    private String accessorId;

    @Option(names = "--json", description = "Print {\"Deleted\": ID} as JSON.")
    private boolean json;

    @Override
    public Integer call() {
      return agent.call(
          spec,
          client -> {
            client.deleteToken(accessorId);
            PrintWriter out = spec.commandLine().getOut();
            out.println(
                json
                    ? "{\"Deleted\":" + ControlText.jsonLine(accessorId) + "}"
                    : "deleted token " + accessorId);
            return 0;
          });
    }
  }
}
