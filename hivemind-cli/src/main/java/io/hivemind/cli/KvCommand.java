package io.hivemind.cli;

import io.hivemind.api.KvPair;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hivemind kv get | put | delete}: Consul's KV store on the control plane's log. */
@Command(
    name = "kv",
    mixinStandardHelpOptions = true,
    description = "Read and write the cluster's KV store (Consul's /v1/kv on the control plane).",
    subcommands = {KvCommand.Get.class, KvCommand.Put.class, KvCommand.Delete.class})
final class KvCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return HivemindCommand.USAGE_ERROR;
  }

  /** {@code kv get [--recurse] KEY}. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description =
          "Print a key's value; with --recurse every key:value under the prefix. A missing key"
              + " exits 1.")
  static final class Get implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Parameters(paramLabel = "KEY", arity = "0..1", defaultValue = "", description = "The key.")
    private String key;

    @Option(names = "--recurse", description = "Every entry whose key starts with KEY.")
    private boolean recurse;

    @Option(names = "--json", description = "Print the API's JSON array of entries.")
    private boolean json;

    @Override
    public Integer call() {
      return agent.call(
          spec,
          client -> {
            List<KvPair> pairs =
                recurse ? client.kvList(key) : client.kvGet(key).map(List::of).orElse(List.of());
            if (pairs.isEmpty()) {
              spec.commandLine().getErr().println("hivemind: no key " + describe() + " exists");
              return HivemindCommand.FAILURE;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
              out.println(ControlText.json(pairs));
            } else if (recurse) {
              out.print(ControlText.entries(pairs));
            } else {
              out.println(ControlText.text(pairs.get(0).decodedValue()));
            }
            out.flush();
            return 0;
          });
    }

    private String describe() {
      return recurse ? "under '" + key + "'" : "'" + key + "'";
    }
  }

  /** {@code kv put KEY VALUE [--flags N] [--cas N]}. */
  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description =
          "Set a key to a value (UTF-8). With --cas, only if the key's ModifyIndex is still N"
              + " (0: only if the key does not exist); a lost compare-and-set exits 1.")
  static final class Put implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    private String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The value.")
    private String value;

    @Option(names = "--flags", paramLabel = "N", description = "An opaque number to store with it.")
    private long flags;

    @Option(
        names = "--cas",
        paramLabel = "N",
        description = "Write only if the key's ModifyIndex is N (0: only a new key).")
    private Long cas;

    @Option(names = "--json", description = "Print the API's answer: true or false.")
    private boolean json;

    @Override
    public Integer call() {
      if (cas != null && cas < 0) {
        throw new ParameterException(spec.commandLine(), "--cas must be 0 or above, got " + cas);
      }
      return agent.call(
          spec,
          client -> {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            boolean written = client.kvPut(key, bytes, flags, cas == null ? -1 : cas);
            return report(
                spec,
                json,
                written,
                "Success! Data written to: " + key,
                "did not write to " + key + ": its ModifyIndex is not " + cas);
          });
    }
  }

  /** {@code kv delete [--recurse] KEY}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a key; with --recurse every key under the prefix.")
  static final class Delete implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private AgentAddressOptions agent;

    @Parameters(paramLabel = "KEY", arity = "0..1", defaultValue = "", description = "The key.")
    private String key;

    @Option(names = "--recurse", description = "Every entry whose key starts with KEY.")
    private boolean recurse;

    @Option(names = "--json", description = "Print the API's answer: true or false.")
    private boolean json;

    @Override
    public Integer call() {
      if (key.isEmpty() && !recurse) {
        throw new ParameterException(
            spec.commandLine(), "give the KEY to delete (or --recurse with a prefix)");
      }
      return agent.call(
          spec,
          client ->
              report(
                  spec,
                  json,
                  client.kvDelete(key, recurse),
                  recurse
                      ? "Success! Deleted keys with prefix: " + key
                      : "Success! Deleted key: " + key,
                  "did not delete " + key));
    }
  }

  /** Prints the outcome of a write; a write the store refused (a lost CAS) exits 1. */
  static int report(CommandSpec spec, boolean json, boolean done, String success, String failure) {
    if (json) {
      spec.commandLine().getOut().println(done);
      spec.commandLine().getOut().flush();
    } else if (done) {
      spec.commandLine().getOut().println(success);
      spec.commandLine().getOut().flush();
    } else {
      spec.commandLine().getErr().println("hivemind: " + failure);
    }
    return done ? 0 : HivemindCommand.FAILURE;
  }
}
