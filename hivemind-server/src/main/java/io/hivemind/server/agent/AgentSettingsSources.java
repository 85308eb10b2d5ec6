package io.hivemind.server.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link AgentSettings} layers from a YAML file and from {@code HIVEMIND_*} environment
 * variables. Flags are the third layer; the command line builds that one itself.
 */
public final class AgentSettingsSources {

  /** Environment variable prefix: {@code HIVEMIND_NODE_NAME} sets {@code node_name}. */
  public static final String ENV_PREFIX = "HIVEMIND_";

  private AgentSettingsSources() {}

  /**
   * The YAML reader, built on first use: an agent configured by flags and environment alone never
   * loads Jackson's deserializers and YAML parser (a few hundred classes of an agent that should
   * stay under 64 MB; docs/benchmarks.md, "Agent footprint").
   */
  private static final class Yaml {
    static final ObjectMapper MAPPER =
        new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /**
   * The settings in a YAML file.
   *
   * @throws ConfigException naming the file and the problem (missing, unreadable, unknown key)
   */
  public static AgentSettings fromYaml(Path file) {
    try {
      AgentSettings settings = Yaml.MAPPER.readValue(file.toFile(), AgentSettings.class);
      return settings == null ? AgentSettings.NONE : settings;
    } catch (NoSuchFileException e) {
      throw new ConfigException("configuration file " + file + " does not exist");
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(
          "configuration file "
              + file
              + ": unknown key '"
              + e.getPropertyName()
              + "'; known keys: "
              + e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList());
    } catch (JsonMappingException e) {
      throw new ConfigException(
          "configuration file " + file + ": " + e.getOriginalMessage() + location(e));
    } catch (IOException e) {
      if (!file.toFile().exists()) {
        throw new ConfigException("configuration file " + file + " does not exist");
      }
      throw new ConfigException(
          "configuration file " + file + " cannot be read: " + e.getMessage());
    }
  }

  private static String location(JsonMappingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }

  /**
   * The settings in {@code HIVEMIND_*} variables. Lists are comma-separated; tags are {@code
   * key=value} pairs, comma-separated.
   *
   * @throws ConfigException naming the variable with a bad value
   */
  public static AgentSettings fromEnvironment(Map<String, String> env) {
    return new AgentSettings(
        env.get(ENV_PREFIX + "NODE_NAME"),
        env.get(ENV_PREFIX + "ENV"),
        integer(env, ENV_PREFIX + "INSTANCE"),
        env.get(ENV_PREFIX + "CLUSTER"),
        env.get(ENV_PREFIX + "BIND"),
        env.get(ENV_PREFIX + "ADVERTISE"),
        env.get(ENV_PREFIX + "HTTP_BIND"),
        list(env.get(ENV_PREFIX + "SEEDS")),
        list(env.get(ENV_PREFIX + "ROLES")),
        tags(ENV_PREFIX + "TAGS", env.get(ENV_PREFIX + "TAGS")),
        env.get(ENV_PREFIX + "ZONE"),
        env.get(ENV_PREFIX + "PROFILE"),
        list(env.get(ENV_PREFIX + "ENCRYPT_KEYS")),
        env.get(ENV_PREFIX + "LOG_FORMAT"));
  }

  private static Integer integer(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number, got '" + value + "'");
    }
  }

  /** A comma-separated list; blanks are skipped. */
  static List<String> list(String value) {
    if (value == null) {
      return null;
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** {@code key=value} pairs, comma-separated. */
  static Map<String, String> tags(String source, String value) {
    if (value == null) {
      return null;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (String pair : list(value)) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new ConfigException(source + ": tag '" + pair + "' must be key=value");
      }
      tags.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
    }
    return tags;
  }
}
