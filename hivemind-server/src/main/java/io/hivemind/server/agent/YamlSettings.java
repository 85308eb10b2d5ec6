package io.hivemind.server.agent;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The YAML layer of the settings: the file is read as a tree, then each key is taken by hand, so
 * every mistake (an unknown key, a list where one value belongs, a key set twice) becomes a
 * sentence naming the file, the key and what the key takes, never a Jackson message about Java
 * types.
 */
final class YamlSettings {

  /** Largest file read: settings take a few hundred bytes; anything this big is not settings. */
  static final int MAX_FILE_BYTES = 1024 * 1024;

  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '([^']*)'");

  /**
   * Where Jackson says a bound comes from, as Java ({@code , from `StreamReadConstraints...()`}): a
   * sentence for an operator leaves it out (the fuzz suite found it in one).
   */
  private static final Pattern JAVA_SOURCE = Pattern.compile(",? from `[^`]*`");

  /**
   * A Java exception's name inside the parser's words ({@code failed to tokenize due to
   * (java.lang.NumberFormatException): For input string ...}): left out, the rest still says what
   * is wrong (the fuzz suite found it).
   */
  private static final Pattern JAVA_CLASS =
      Pattern.compile(" ?\\(?\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)\\b\\)?");

  /**
   * SnakeYAML's events as Java prints them, {@code <org.yaml.snakeyaml.events.AliasEvent(...)>}.
   */
  private static final Pattern YAML_EVENT =
      Pattern.compile("<?org\\.yaml\\.snakeyaml\\.events\\.(\\w+)Event\\(([^)]*)\\)>?");

  private YamlSettings() {}

  /**
   * The YAML reader, built on first use: an agent configured by flags and environment alone never
   * loads Jackson's YAML parser (classes of an agent that should stay under 64 MB;
   * docs/benchmarks.md, "Agent footprint").
   */
  private static final class Yaml {
    static final ObjectMapper MAPPER =
        new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  }

  static AgentSettings read(Path file) {
    JsonNode root = parse(bytes(file), file);
    if (root == null || root.isMissingNode() || root.isNull()) {
      return AgentSettings.NONE; // empty, or comments only: no settings, every default
    }
    if (!root.isObject()) {
      throw new ConfigException(
          "configuration file "
              + file
              + " holds "
              + kind(root)
              + ", not settings: write one 'key: value' line per setting, such as 'node_name:"
              + " web-7'");
    }
    return new Layer(root, file).settings().checked(s -> name(file, s));
  }

  private static byte[] bytes(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new ConfigException(
            "configuration file "
                + file
                + " is larger than "
                + MAX_FILE_BYTES / 1024
                + " KiB: is it the right file? Settings take a few lines");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new ConfigException("configuration file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException(
          "configuration file " + file + " cannot be read: " + e.getMessage());
    }
  }

  private static JsonNode parse(byte[] bytes, Path file) {
    try {
      requireNoAliases(bytes, file);
      return Yaml.MAPPER.readTree(bytes);
    } catch (StreamConstraintsException e) {
      // Jackson's bounds (nesting 1,000 deep, very long numbers): far past anything settings need.
      throw new ConfigException(
          "configuration file " + file + " is not settings" + at(e) + ": " + problem(e));
    } catch (JsonProcessingException e) {
      CharConversionException encoding = encodingProblem(e);
      if (encoding != null) {
        throw new ConfigException(
            "configuration file " + file + " is not UTF-8 text: " + encoding.getMessage());
      }
      Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
      if (duplicate.find()) {
        throw new ConfigException(
            file
                + ": "
                + unquoted(SettingRules.quote(duplicate.group(1)))
                + " is set twice"
                + at(e)
                + "; keep one");
      }
      throw new ConfigException(
          "configuration file " + file + " is not valid YAML" + at(e) + ": " + problem(e));
    } catch (IOException e) {
      throw new ConfigException(
          "configuration file " + file + " cannot be read: " + e.getMessage());
    }
  }

  /**
   * Refuses YAML aliases ({@code *name}). Jackson reads an alias as the text of its anchor's name,
   * not as the value it stands for, so {@code cluster: *n} after {@code node_name: &n web-7} set
   * the cluster to "n" without a word (the fuzz suite found it). Settings are a few lines: writing
   * a value twice is the fix, and an alias bomb ("billion laughs") is refused at its first alias.
   */
  private static void requireNoAliases(byte[] bytes, Path file) throws IOException {
    try (YAMLParser yaml = (YAMLParser) Yaml.MAPPER.getFactory().createParser(bytes)) {
      while (yaml.nextToken() != null) {
        if (yaml.isCurrentAlias()) {
          throw new ConfigException(
              file
                  + ": the alias "
                  + SettingRules.quote("*" + yaml.getText())
                  + at(yaml.currentTokenLocation())
                  + " is not read: settings do not follow YAML aliases; write the value itself");
        }
      }
    }
  }

  /** The bytes that are not UTF-8, if that is why the parser failed (SnakeYAML wraps it). */
  private static CharConversionException encodingProblem(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof CharConversionException encoding) {
        return encoding;
      }
      if (cause.getCause() == cause) {
        return null;
      }
    }
    return null;
  }

  private static String at(JsonProcessingException e) {
    return at(e.getLocation());
  }

  private static String at(JsonLocation location) {
    return location == null
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /**
   * The parser's own words without its excerpt of the file: SnakeYAML's message is a context line,
   * an excerpt with a caret, then the problem; the last unindented line is the problem.
   */
  private static String problem(JsonProcessingException e) {
    String message = String.valueOf(e.getOriginalMessage());
    List<String> lines =
        Arrays.stream(message.split("\n")).filter(l -> !l.isBlank() && !l.startsWith(" ")).toList();
    String problem = lines.isEmpty() ? message.strip() : lines.get(lines.size() - 1).strip();
    problem = JAVA_SOURCE.matcher(problem).replaceAll("");
    problem = JAVA_CLASS.matcher(problem).replaceAll("");
    problem = escapeLineBreaks(problem); // SnakeYAML shows the character it stopped at as it is
    return YAML_EVENT
        .matcher(problem)
        .replaceAll(event -> eventName(event.group(1), event.group(2)));
  }

  /**
   * SnakeYAML's name of an event, as a sentence says it: {@code AliasEvent(anchor=a)}, an alias.
   */
  private static String eventName(String event, String fields) {
    return switch (event) {
      case "Alias" -> "an alias (" + fields.replace("anchor=", "*") + ")";
      case "MappingStart" -> "a map";
      case "SequenceStart" -> "a list";
      case "Scalar" -> "a single value";
      default -> "YAML's " + event.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    };
  }

  /** {@code text} with control characters and line separators as {@code \\uXXXX}: one line. */
  private static String escapeLineBreaks(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (SettingRules.breaksTheLine(c)) {
                escaped.append(String.format("\\u%04x", c));
              } else {
                escaped.appendCodePoint(c);
              }
            });
    return escaped.toString();
  }

  /** {@code 'quoted'} without its quotes: a key named in a sentence, escaped as values are. */
  private static String unquoted(String quoted) {
    return quoted.substring(1, quoted.length() - 1);
  }

  /** How a sentence names a setting of {@code file}, as a compiler names a line: {@code f: key}. */
  static String name(Path file, Setting setting) {
    return file + ": " + setting.yamlKey();
  }

  /** How a sentence calls a node's shape. */
  static String kind(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a map";
    }
    return node.isNull() ? "nothing" : "a single value";
  }

  /** The settings of one file's root map. */
  private record Layer(JsonNode root, Path file) {

    AgentSettings settings() {
      requireKnownKeys();
      return new AgentSettings(
          text(Setting.NODE_NAME),
          text(Setting.ENVIRONMENT),
          instance(),
          text(Setting.CLUSTER),
          text(Setting.BIND),
          text(Setting.ADVERTISE),
          text(Setting.HTTP_BIND),
          list(Setting.SEEDS),
          list(Setting.ROLES),
          map(Setting.TAGS),
          text(Setting.ZONE),
          text(Setting.PROFILE),
          list(Setting.ENCRYPT_KEYS),
          bool(Setting.INSECURE_PLAINTEXT_GOSSIP),
          text(Setting.LOG_FORMAT),
          control(),
          new AclSettings(
              bool(Setting.ACL_ENABLED),
              text(Setting.ACL_DEFAULT_POLICY),
              null, // the token itself is never read from a file of settings: see AclSettings
              text(Setting.ACL_INITIAL_MANAGEMENT_TOKEN_FILE),
              null, // nor the agent token
              text(Setting.ACL_AGENT_TOKEN_FILE)),
          dns(),
          new StateSettings(text(Setting.PARTITION_BACKUPS), text(Setting.STATE_SYNC_BACKUPS)));
    }

    private DnsSettings dns() {
      return new DnsSettings(
          text(Setting.DNS_PORT),
          text(Setting.DNS_DOMAIN),
          text(Setting.DNS_TTL),
          list(Setting.DNS_RECURSORS));
    }

    private ControlSettings control() {
      String expect = text(Setting.BOOTSTRAP_EXPECT);
      return new ControlSettings(
          text(Setting.DATA_DIR),
          expect == null
              ? null
              : ControlRules.bootstrapExpect(expect, name(Setting.BOOTSTRAP_EXPECT)),
          text(Setting.JOIN_TOKEN),
          text(Setting.JOIN_TOKEN_FILE),
          list(Setting.REQUIRE_ROLES),
          text(Setting.TLS_CA_FILE),
          text(Setting.TLS_CERT_FILE),
          text(Setting.TLS_KEY_FILE),
          text(Setting.CONTROL_BIND),
          text(Setting.CONTROL_GATEWAY_BIND));
    }

    private void requireKnownKeys() {
      for (Map.Entry<String, JsonNode> property : root.properties()) {
        String key = property.getKey();
        // services: external services to register, read by ExternalServicesYaml (issue 11).
        if (Setting.ofYamlKey(key).isEmpty() && !key.equals(ExternalServicesYaml.KEY)) {
          throw new ConfigException(
              file
                  + ": unknown key "
                  + SettingRules.quote(key) // a key may be any text, a newline too
                  + "; known keys: "
                  + String.join(
                      ", ",
                      Arrays.stream(Setting.values()).map(Setting::yamlKey).sorted().toList()));
        }
      }
    }

    private String name(Setting setting) {
      return YamlSettings.name(file, setting);
    }

    /** The node of {@code setting}; null when absent or written with no value ({@code zone:}). */
    private JsonNode node(Setting setting) {
      JsonNode node = root.get(setting.yamlKey());
      return node == null || node.isNull() ? null : node;
    }

    private String text(Setting setting) {
      JsonNode node = node(setting);
      if (node == null) {
        return null;
      }
      if (!node.isValueNode()) {
        throw new ConfigException(
            name(setting)
                + " takes a single value, not "
                + kind(node)
                + ": write "
                + setting.yamlKey()
                + ": VALUE");
      }
      return node.asText();
    }

    private Integer instance() {
      String text = text(Setting.INSTANCE);
      return text == null ? null : SettingRules.instance(text, name(Setting.INSTANCE));
    }

    private Boolean bool(Setting setting) {
      JsonNode node = node(setting);
      if (node != null && node.isBoolean()) {
        return node.booleanValue();
      }
      String text = text(setting);
      return text == null ? null : SettingRules.bool(text, name(setting));
    }

    /** A YAML list of single values, or one value read as a comma-separated list. */
    private List<String> list(Setting setting) {
      JsonNode node = node(setting);
      if (node == null) {
        return null;
      }
      if (node.isValueNode()) {
        return AgentSettingsSources.list(node.asText());
      }
      if (!node.isArray()) {
        throw new ConfigException(
            name(setting)
                + " takes a list, such as "
                + setting.yamlKey()
                + ": [a, b], or one comma-separated value; not "
                + kind(node));
      }
      List<String> values = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        JsonNode item = node.get(i);
        if (!item.isValueNode() || item.isNull()) {
          throw new ConfigException(
              name(setting)
                  + " item "
                  + (i + 1)
                  + " is "
                  + kind(item)
                  + ": each item is a single value");
        }
        values.add(item.asText());
      }
      return values;
    }

    /** A YAML map of single values, or one value read as comma-separated {@code key=value}. */
    private Map<String, String> map(Setting setting) {
      JsonNode node = node(setting);
      if (node == null) {
        return null;
      }
      if (node.isValueNode()) {
        return AgentSettingsSources.tags(name(setting), node.asText());
      }
      if (!node.isObject()) {
        throw new ConfigException(
            name(setting)
                + " takes a map, such as "
                + setting.yamlKey()
                + ": {rack: r12}, or one value such as rack=r12,tier=web; not "
                + kind(node));
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        JsonNode value = entry.getValue();
        if (!value.isValueNode() || value.isNull()) {
          throw new ConfigException(
              name(setting)
                  + " "
                  + SettingRules.quote(entry.getKey())
                  + " is "
                  + kind(value)
                  + ": each tag has a single value (write '' for an empty one)");
        }
        values.put(entry.getKey(), value.asText());
      }
      return values;
    }
  }
}
