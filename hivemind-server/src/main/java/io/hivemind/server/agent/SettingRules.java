package io.hivemind.server.agent;

import io.hivemind.api.Environment;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.core.membership.NodeIdentity;
import io.hivemind.server.agent.AgentConfig.LogFormat;
import io.hivemind.server.transport.GossipKeyring;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The rule each setting's value follows, and the sentence that says so when a value breaks it:
 * {@code <setting> '<value>' is not <a thing>: <why>; use <what is accepted>}. {@code name} is the
 * setting as its author wrote it ({@code --node}, {@code HIVEMIND_NODE_NAME}, {@code agent.yaml:
 * node_name}; see {@link Setting}). Each method returns the value in the form the agent uses.
 */
final class SettingRules {

  /** Node names: the membership core's bound, and a character set safe in DNS labels and logs. */
  static final NameRule NODE_NAME = new NameRule("node name", 1, NodeIdentity.MAX_NAME_BYTES);

  /** Cluster names: the membership core's bound; the same characters as node names. */
  static final NameRule CLUSTER = new NameRule("cluster name", 1, NodeIdentity.MAX_CLUSTER_BYTES);

  /** Zones name a rack or availability zone ({@code eu-west-1a}); empty means none. */
  static final NameRule ZONE = new NameRule("zone", 0, 64);

  /** Tag keys: identifiers, as node names but shorter. */
  static final NameRule TAG_KEY = new NameRule("tag key", 1, 64);

  /** Longest tag value, in UTF-8 bytes. */
  static final int MAX_TAG_VALUE_BYTES = 256;

  /**
   * Most tags a node may carry. Roles, tags and zone must also fit the core's metadata bound
   * together (512 bytes), which {@link AgentConfig#resolve} checks.
   */
  static final int MAX_TAGS = 64;

  /** Profile names {@link MembershipConfig#profile} knows. */
  static final List<String> PROFILES = List.of("lan", "wan", "local");

  /** Longest value a sentence shows; a longer one is cut, with its length in bytes given. */
  private static final int QUOTE_CHARS = 40;

  private SettingRules() {}

  /** Checks every setting {@code layer} sets, naming each with {@code names}. */
  static void check(AgentSettings layer, Function<Setting, String> names) {
    if (layer.nodeName() != null) {
      NODE_NAME.check(layer.nodeName(), names.apply(Setting.NODE_NAME));
    }
    if (layer.environment() != null) {
      environment(layer.environment(), names.apply(Setting.ENVIRONMENT));
    }
    if (layer.instance() != null) {
      instance(layer.instance(), names.apply(Setting.INSTANCE));
    }
    if (layer.cluster() != null) {
      CLUSTER.check(layer.cluster(), names.apply(Setting.CLUSTER));
    }
    checkAddresses(layer, names);
    if (layer.roles() != null) {
      roles(layer.roles(), names.apply(Setting.ROLES));
    }
    if (layer.tags() != null) {
      tags(layer.tags(), names.apply(Setting.TAGS));
    }
    if (layer.zone() != null) {
      ZONE.check(layer.zone(), names.apply(Setting.ZONE));
    }
    if (layer.profile() != null) {
      profile(layer.profile(), names.apply(Setting.PROFILE));
    }
    if (layer.encryptKeys() != null) {
      encryptKeys(layer.encryptKeys(), names.apply(Setting.ENCRYPT_KEYS));
    }
    if (layer.logFormat() != null) {
      logFormat(layer.logFormat(), names.apply(Setting.LOG_FORMAT));
    }
    ControlRules.check(layer.control(), names);
    AclRules.check(layer.acl(), names);
    DnsRules.check(layer.dns(), names);
    StateRules.check(layer.state(), names);
  }

  // Ports do not matter here: each address is parsed again, with its real default, by resolve.
  private static void checkAddresses(AgentSettings layer, Function<Setting, String> names) {
    if (layer.bind() != null) {
      HostPort.parse(layer.bind(), 0, names.apply(Setting.BIND));
    }
    if (layer.advertise() != null) {
      advertise(layer.advertise(), 0, names.apply(Setting.ADVERTISE));
    }
    if (layer.httpBind() != null) {
      HostPort.parse(layer.httpBind(), 0, names.apply(Setting.HTTP_BIND));
    }
    if (layer.seeds() != null) {
      seeds(layer.seeds(), 1, names.apply(Setting.SEEDS));
    }
  }

  static Environment environment(String value, String name) {
    try {
      return Environment.parse(value);
    } catch (IllegalArgumentException e) {
      List<String> ids = Arrays.stream(Environment.values()).map(Environment::id).toList();
      throw new ConfigException(
          name + " " + quote(value) + " is not an environment: use " + orList(ids));
    }
  }

  static int instance(int value, String name) {
    if (value < 0 || value > 1) {
      throw new ConfigException(name + " " + value + " is not an instance: use 0 or 1");
    }
    return value;
  }

  /** An instance written as text (an environment variable, a YAML value). */
  static Integer instance(String text, String name) {
    try {
      return instance(Integer.parseInt(text.trim()), name);
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " " + quote(text) + " is not an instance: use 0 or 1");
    }
  }

  /** {@code true} or {@code false}, in any case. */
  static Boolean bool(String text, String name) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("true") || value.equals("false")) {
      return Boolean.valueOf(value);
    }
    throw new ConfigException(name + " " + quote(text) + " is not a boolean: use true or false");
  }

  static Address advertise(String text, int defaultPort, String name) {
    Address address = HostPort.parse(text, defaultPort, name);
    if (HostPort.isWildcard(address.host())) {
      throw new ConfigException(
          name
              + " "
              + quote(text)
              + " is not an address other nodes can reach: it is the wildcard address; use this"
              + " host's address, or leave "
              + name
              + " unset to derive it from the bind address");
    }
    return address;
  }

  static List<Address> seeds(List<String> values, int defaultPort, String name) {
    return values.stream().map(seed -> HostPort.parse(seed, defaultPort, 1, name)).toList();
  }

  /**
   * Known roles, in any case; at least one. An empty list is refused rather than read as "no
   * roles": it is more often an empty variable than a decision, and accepting it later is
   * compatible where refusing it later would not be.
   */
  static Set<String> roles(List<String> values, String name) {
    if (values.isEmpty()) {
      throw new ConfigException(
          name + " is empty: a node performs at least one of " + orList(Roles.known()));
    }
    return knownRoles(values, name);
  }

  /**
   * Roles that must be present in the cluster before this node operates (seed 001); known roles, in
   * any case. Empty is allowed here: it is the default, "wait for nothing".
   */
  static Set<String> requireRoles(List<String> values, String name) {
    return knownRoles(values, name);
  }

  private static Set<String> knownRoles(List<String> values, String name) {
    Set<String> roles = new LinkedHashSet<>();
    for (String value : values) {
      String role = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
      if (!Roles.isKnown(role) && role.equals(Roles.CONTROL)) {
        throw new ConfigException(
            name
                + " "
                + quote(value)
                + ": the control role's jars (hivemind-control, Apache Ratis) are not on the class"
                + " path; the launcher adds lib/control when the role is named in the arguments,"
                + " HIVEMIND_ROLES or the configuration file");
      }
      if (!Roles.isKnown(role)) {
        throw new ConfigException(
            name + " " + quote(value) + " is not a role: use " + orList(Roles.known()));
      }
      roles.add(role);
    }
    return Set.copyOf(roles);
  }

  static Map<String, String> tags(Map<String, String> tags, String name) {
    if (tags.size() > MAX_TAGS) {
      throw new ConfigException(
          name + " sets " + tags.size() + " tags: use at most " + MAX_TAGS + " (fewer is better)");
    }
    Map<String, String> checked = new LinkedHashMap<>();
    tags.forEach(
        (key, value) -> {
          TAG_KEY.check(key, name + " key");
          checked.put(key, tagValue(key, value, name));
        });
    return Map.copyOf(checked);
  }

  private static String tagValue(String key, String value, String name) {
    String text = value == null ? "" : value;
    int bytes = utf8(text);
    String why = null;
    if (bytes > MAX_TAG_VALUE_BYTES) {
      why = "it is " + bytes + " bytes";
    } else {
      int bad = firstControl(text);
      if (bad >= 0) {
        why = describe(text.codePointAt(bad)) + " at position " + (bad + 1) + " is not allowed";
      }
    }
    if (why != null) {
      throw new ConfigException(
          name
              + " "
              + key
              + "="
              + quote(text)
              + " is not a valid tag value: "
              + why
              + "; use at most "
              + MAX_TAG_VALUE_BYTES
              + " bytes of text without control characters");
    }
    return text;
  }

  static MembershipConfig profile(String value, String name) {
    try {
      return MembershipConfig.profile(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          name + " " + quote(value) + " is not a profile: use " + orList(PROFILES));
    }
  }

  static LogFormat logFormat(String value, String name) {
    for (LogFormat format : LogFormat.values()) {
      if (format.name().equalsIgnoreCase(value.trim())) {
        return format;
      }
    }
    throw new ConfigException(name + " " + quote(value) + " is not a log format: use text or json");
  }

  /**
   * Keys a gossip keyring accepts, trimmed. The sentence names a bad key by its position, never by
   * its value: configuration errors end up in logs and terminals, and a key there is a leaked key.
   */
  static List<String> encryptKeys(List<String> keys, String name) {
    if (keys.isEmpty()) {
      return List.of();
    }
    try {
      GossipKeyring.of(keys);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      throw new ConfigException(
          name
              + ": "
              + message
              + (message.contains("keygen")
                  ? ""
                  : "; use keys printed by `hivemind keygen` (32 bytes in base64)"));
    }
    return keys.stream().map(String::trim).toList();
  }

  // ---- sentence parts -------------------------------------------------------------------------

  /**
   * {@code value} in single quotes as a reader should see it: control characters escaped, and cut
   * after {@value #QUOTE_CHARS} characters (a 300-byte name would bury the sentence).
   */
  static String quote(String value) {
    if (value == null) {
      return "''";
    }
    StringBuilder quoted = new StringBuilder("'");
    int shown = 0;
    for (int i = 0; i < value.length(); i += Character.charCount(value.codePointAt(i))) {
      if (shown++ == QUOTE_CHARS) {
        quoted.append("...");
        break;
      }
      int c = value.codePointAt(i);
      quoted.append(breaksTheLine(c) ? String.format("\\u%04x", c) : Character.toString(c));
    }
    return quoted.append("'").toString();
  }

  /** Control characters, and the Unicode line and paragraph separators: a sentence is one line. */
  static boolean breaksTheLine(int c) {
    return Character.isISOControl(c) || c == 0x2028 || c == 0x2029;
  }

  /** {@code a, b or c}. */
  static String orList(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " or "
        + items.get(items.size() - 1);
  }

  /** A character as a sentence shows it: {@code ' '}, {@code 'é'} or {@code U+0009}. */
  static String describe(int codePoint) {
    return breaksTheLine(codePoint)
        ? String.format("U+%04X", codePoint)
        : "'" + Character.toString(codePoint) + "'";
  }

  static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int firstControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Names (node, cluster, zone, tag keys): {@code minBytes} to {@code maxBytes} bytes of ASCII
   * letters, digits, '-', '_' and '.', starting with a letter or digit. ASCII, so that bytes are
   * characters and a name is the same in a log line, a URL path and (with the DNS interface to
   * come) a DNS label; a leading letter or digit, so that no name reads as a flag or a hidden file.
   */
  record NameRule(String what, int minBytes, int maxBytes) {

    /** What the rule accepts, for the end of a sentence. */
    String accepted() {
      String chars =
          " bytes of ASCII letters, digits, '-', '_' and '.', starting with a letter or digit";
      return minBytes == 0
          ? "nothing, or 1 to " + maxBytes + chars
          : minBytes + " to " + maxBytes + chars;
    }

    /** Returns {@code value} when it follows the rule, else throws the sentence. */
    String check(String value, String name) {
      String why = problem(value);
      if (why != null) {
        throw new ConfigException(
            name
                + " "
                + quote(value)
                + " is not a valid "
                + what
                + ": "
                + why
                + "; use "
                + accepted());
      }
      return value;
    }

    private String problem(String value) {
      int bytes = utf8(value);
      if (bytes == 0) {
        return minBytes == 0 ? null : "it is empty";
      }
      if (bytes > maxBytes) {
        return "it is " + bytes + " bytes";
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (!isNameChar(c)) {
          return describe(value.codePointAt(i)) + " at position " + (i + 1) + " is not allowed";
        }
      }
      char first = value.charAt(0);
      if (!isLetterOrDigit(first)) {
        return "it starts with '" + first + "'";
      }
      return null;
    }

    private static boolean isNameChar(char c) {
      return isLetterOrDigit(c) || c == '-' || c == '_' || c == '.';
    }

    private static boolean isLetterOrDigit(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
  }
}
