package io.hivemind.fuzz;

import io.hivemind.server.agent.AgentConfig;
import io.hivemind.server.agent.AgentSettings;
import io.hivemind.server.agent.AgentSettingsSources;
import io.hivemind.server.agent.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's configuration reader, through its public entry points: a mutated YAML file read by
 * {@link AgentSettingsSources#fromYaml}, then {@link AgentConfig#resolve}. The file is written to a
 * directory of the target's own. After each file:
 *
 * <ul>
 *   <li>the outcome is an {@link AgentConfig} or a {@link ConfigException}, nothing else (no
 *       Jackson or SnakeYAML exception, no stack overflow, no out-of-memory);
 *   <li>the exception's message is one line, names the file (or, from {@code resolve}, which sees
 *       the layers merged, a setting by its YAML key), and shows no Java: no {@code java.}, {@code
 *       com.fasterxml}, {@code org.yaml}, {@code Exception}, no class or method of the parser.
 * </ul>
 *
 * Each file is counted as "valid", or under the kind of mistake its message names.
 */
public final class ConfigTarget implements FuzzTarget {

  /** What a message for a person must not show: Java's and the parsers' own words. */
  private static final Pattern JAVA =
      Pattern.compile(
          "java\\.|javax\\.|com\\.fasterxml|org\\.yaml|snakeyaml|Exception|Error\\b|\\w\\(\\)|\\bat \\w+\\.\\w+");

  /** Line breaks: CR, LF, NEL and the Unicode line and paragraph separators. */
  private static final Pattern LINE_BREAK = Pattern.compile("[\r\n\u0085\u2028\u2029]");

  private final Path file;
  private final YamlConfigs configs = new YamlConfigs();

  /**
   * A target that writes its files in a new temporary directory, in memory where the system has one
   * ({@code /dev/shm}): on a disk, writing the file costs a hundred times more than reading it.
   */
  public ConfigTarget() {
    try {
      Path memory = Path.of("/dev/shm");
      Path directory =
          Files.isDirectory(memory) && Files.isWritable(memory)
              ? Files.createTempDirectory(memory, "hivemind-fuzz-config")
              : Files.createTempDirectory("hivemind-fuzz-config");
      directory.toFile().deleteOnExit();
      this.file = directory.resolve("agent.yaml");
      file.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a directory for the fuzzed files", e);
    }
  }

  @Override
  public String name() {
    return "config";
  }

  @Override
  public void run(Choices choices, Outcomes outcomes) {
    outcomes.count(read(configs.next(choices)));
  }

  /** Reads {@code yaml} as the agent does and checks the outcome; returns its label. */
  public String read(byte[] yaml) {
    try {
      Files.write(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    AgentSettings settings;
    try {
      settings = AgentSettingsSources.fromYaml(file);
    } catch (ConfigException e) {
      return rejected(e, true, yaml);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw new FuzzFailure("only ConfigException comes out of the reader", e.toString(), yaml, e);
    }
    try {
      AgentConfig.resolve(settings, "fuzz-node");
      return "valid";
    } catch (ConfigException e) {
      return rejected(e, false, yaml);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw new FuzzFailure("only ConfigException comes out of resolve", e.toString(), yaml, e);
    }
  }

  private String rejected(ConfigException e, boolean fromFile, byte[] yaml) {
    String message = String.valueOf(e.getMessage());
    if (LINE_BREAK.matcher(message).find()) {
      throw new FuzzFailure("a configuration mistake is one line", message, yaml);
    }
    // Java words the file itself holds are the user's text quoted back, which may say anything.
    String text = new String(yaml, StandardCharsets.UTF_8);
    Matcher java = JAVA.matcher(message.replace(file.toString(), "FILE"));
    while (java.find()) {
      if (!text.contains(java.group())) {
        throw new FuzzFailure("a configuration mistake shows no Java", message, yaml);
      }
    }
    if (fromFile && !message.contains(file.toString())) {
      throw new FuzzFailure("a mistake in a file names the file", message, yaml);
    }
    if (!fromFile && YamlConfigs.KEYS.stream().noneMatch(message::contains)) {
      throw new FuzzFailure("a mistake names the setting", message, yaml);
    }
    return (fromFile ? "" : "resolve: ") + kind(message.replace(file.toString(), "FILE"));
  }

  /** The kind of mistake a message names, for a run's table: a handful of kinds, not values. */
  static String kind(String message) {
    for (String[] kind : KINDS) {
      if (message.contains(kind[0])) {
        return kind[1];
      }
    }
    for (String key : YamlConfigs.KEYS) {
      if (message.matches("(?s)(FILE: )?" + key + "[ :].*")) {
        return "bad value: " + key;
      }
    }
    return "other: " + (message.length() > 60 ? message.substring(0, 60) + "…" : message);
  }

  /** A phrase of a message, and the kind of mistake it names. */
  private static final String[][] KINDS = {
    {"is larger than", "file over 1 MiB"},
    {"is not UTF-8 text", "not UTF-8"},
    {"is not settings: Document nesting depth", "nested over 1,000 deep"},
    {"is not valid YAML", "not valid YAML"},
    {"the alias", "YAML alias"},
    {": unknown key", "unknown key"},
    {" is set twice", "key set twice"},
    {"configuration file FILE holds", "not a map of settings"},
    {"needs a gossip key", "production without a gossip key"},
    {"both take TCP port", "HTTP and gossip on one port"},
  };
}
