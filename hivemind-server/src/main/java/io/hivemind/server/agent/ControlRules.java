package io.hivemind.server.agent;

import static io.hivemind.server.agent.SettingRules.quote;

import io.hivemind.api.Environment;
import io.hivemind.api.WellKnownPorts;
import io.hivemind.core.membership.Address;
import io.hivemind.server.role.ControlConfig;
import io.hivemind.server.role.JoinToken;
import io.hivemind.server.role.TlsFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The rules of the control plane's settings ({@link ControlSettings}), as {@link SettingRules} for
 * the others: {@link #check} the values of one layer on their own, then {@link #dataDir} and {@link
 * #control} resolve the merged ones against the rest of the configuration and the files they name.
 * The join token is never quoted in a sentence: errors end up in logs.
 */
final class ControlRules {

  /** Group sizes a node may expect: 0 forms none; an even size tolerates no more failures. */
  static final List<Integer> BOOTSTRAP_SIZES = List.of(0, 1, 3, 5);

  /** The settings that name a file. */
  private static final List<Setting> FILE_SETTINGS =
      List.of(
          Setting.JOIN_TOKEN_FILE,
          Setting.TLS_CA_FILE,
          Setting.TLS_CERT_FILE,
          Setting.TLS_KEY_FILE);

  /** Where the control plane listens by default: other control nodes must reach it. */
  static final String DEFAULT_CONTROL_HOST = "0.0.0.0";

  /** Largest join token file read: a token is at most {@value JoinToken#MAX_CHARS} characters. */
  static final int MAX_TOKEN_FILE_BYTES = 4096;

  private ControlRules() {}

  /** Checks every setting {@code layer} sets, naming each with {@code names}. */
  static void check(ControlSettings layer, Function<Setting, String> names) {
    if (layer.dataDir() != null) {
      path(layer.dataDir(), Path.of(""), names.apply(Setting.DATA_DIR));
    }
    if (layer.bootstrapExpect() != null) {
      bootstrapExpect(layer.bootstrapExpect(), names.apply(Setting.BOOTSTRAP_EXPECT));
    }
    if (layer.joinToken() != null && layer.joinTokenFile() != null) {
      throw new ConfigException(
          names.apply(Setting.JOIN_TOKEN)
              + " and "
              + names.apply(Setting.JOIN_TOKEN_FILE)
              + " are both set: set one of them");
    }
    if (layer.joinToken() != null) {
      joinToken(layer.joinToken(), names.apply(Setting.JOIN_TOKEN));
    }
    if (layer.requireRoles() != null) {
      SettingRules.requireRoles(layer.requireRoles(), names.apply(Setting.REQUIRE_ROLES));
    }
    for (Setting file : FILE_SETTINGS) {
      pathIfSet(layer, file, names);
    }
    if (layer.controlBind() != null) {
      HostPort.parse(layer.controlBind(), 0, names.apply(Setting.CONTROL_BIND));
    }
    if (layer.controlGatewayBind() != null) {
      HostPort.parse(layer.controlGatewayBind(), 0, names.apply(Setting.CONTROL_GATEWAY_BIND));
    }
  }

  private static void pathIfSet(
      ControlSettings layer, Setting setting, Function<Setting, String> names) {
    String value = text(layer, setting);
    if (value != null) {
      path(value, Path.of(""), names.apply(setting));
    }
  }

  private static String text(ControlSettings layer, Setting setting) {
    return switch (setting) {
      case JOIN_TOKEN_FILE -> layer.joinTokenFile();
      case TLS_CA_FILE -> layer.tlsCaFile();
      case TLS_CERT_FILE -> layer.tlsCertFile();
      case TLS_KEY_FILE -> layer.tlsKeyFile();
      default -> throw new IllegalArgumentException(setting + " is not a file setting");
    };
  }

  static int bootstrapExpect(int value, String name) {
    if (!BOOTSTRAP_SIZES.contains(value)) {
      throw new ConfigException(
          name
              + " "
              + value
              + " is not a group size: use 0 (form no group: join the one that exists), 1"
              + " (development only), 3 or 5; an even group tolerates no more failures than one"
              + " voter fewer");
    }
    return value;
  }

  /** A group size written as text (an environment variable, a YAML value). */
  static Integer bootstrapExpect(String text, String name) {
    try {
      return bootstrapExpect(Integer.parseInt(text.trim()), name);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          name + " " + quote(text) + " is not a group size: use 0, 1 (development only), 3 or 5");
    }
  }

  /** Never quotes the value: a token in a sentence is a token in a log. */
  static JoinToken joinToken(String value, String name) {
    try {
      return JoinToken.of(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          name
              + " is not a usable join token: "
              + e.getMessage()
              + "; use "
              + JoinToken.accepted());
    }
  }

  /**
   * A path, absolute and normalized; {@code ~} or a leading {@code ~/} is {@code home}, as a shell
   * would have expanded it on a command line (a YAML file or a variable in a unit file is not).
   */
  static Path path(String text, Path home, String name) {
    if (text.isBlank()) {
      throw new ConfigException(name + " is empty: use a path");
    }
    try {
      Path path;
      if (text.equals("~")) {
        path = home;
      } else if (text.startsWith("~/")) {
        path = home.resolve(text.substring(2));
      } else {
        path = Path.of(text);
      }
      return path.toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException(
          name + " " + quote(text) + " is not a path: " + e.getReason() + "; use a file path");
    }
  }

  /**
   * The data directory: the setting, or {@code ~/.hivemind/data/<environment>/<node>} (one per
   * environment and node, so two agents of one host never share a Raft log). It need not exist yet;
   * one that exists must be a directory this user can write.
   */
  static Path dataDir(String value, Path home, Environment environment, String nodeName) {
    String name = Setting.DATA_DIR.yamlKey();
    Path dir =
        value == null
            ? home.resolve(".hivemind").resolve("data").resolve(environment.id()).resolve(nodeName)
            : path(value, home, name);
    dir = dir.toAbsolutePath().normalize();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ConfigException(
          name
              + " "
              + shown(dir)
              + " is not a directory: use a directory, or a path that does not exist");
    }
    if (Files.isDirectory(dir) && !Files.isWritable(dir)) {
      throw new ConfigException(
          name
              + " "
              + shown(dir)
              + " cannot be written by this user: give the agent's user write access, or use"
              + " another directory");
    }
    return dir;
  }

  /**
   * The control plane's configuration from the merged settings.
   *
   * @param roles the node's resolved roles
   * @param ports the node's well-known ports
   * @param home the user's home, for {@code ~} in file paths
   */
  static ControlConfig control(
      ControlSettings settings,
      Environment environment,
      Set<String> roles,
      WellKnownPorts ports,
      Path home) {
    return new ControlConfig(
        bootstrap(settings.bootstrapExpect(), environment, roles),
        address(settings.controlBind(), ports.control(), Setting.CONTROL_BIND),
        address(settings.controlGatewayBind(), gatewayPort(ports), Setting.CONTROL_GATEWAY_BIND),
        token(settings, home),
        settings.requireRoles() == null
            ? Set.of()
            : SettingRules.requireRoles(settings.requireRoles(), Setting.REQUIRE_ROLES.yamlKey()),
        tls(settings, home));
  }

  /**
   * The control gateway's well-known port: offset 5 of the instance's block (the first of the ports
   * WellKnownPorts reserves for later services). The one place it is computed; switch it to {@code
   * WellKnownPorts.controlGateway()} once the API names that port.
   */
  static int gatewayPort(WellKnownPorts ports) {
    return ports.control() + 2;
  }

  private static Address address(String value, int defaultPort, Setting setting) {
    return HostPort.parse(
        value == null ? DEFAULT_CONTROL_HOST : value, defaultPort, setting.yamlKey());
  }

  private static int bootstrap(Integer value, Environment environment, Set<String> roles) {
    String name = Setting.BOOTSTRAP_EXPECT.yamlKey();
    int expect = value == null ? 0 : bootstrapExpect(value, name);
    if (expect > 0 && !roles.contains(Roles.CONTROL)) {
      throw new ConfigException(
          name
              + " "
              + expect
              + " needs the control role: only control nodes vote in the group they form; add"
              + " control to roles, or leave bootstrap_expect unset on a node that does not vote");
    }
    if (expect == 1 && environment != Environment.DEVELOPMENT) {
      throw new ConfigException(
          name
              + " 1 is for the development environment only, and this is "
              + environment.id()
              + ": a group of one voter survives no failure (when that node or its disk is lost,"
              + " nothing can be admitted or removed, and the log has no other copy); use 3 or 5"
              + " control nodes");
    }
    return expect;
  }

  private static JoinToken token(ControlSettings settings, Path home) {
    if (settings.joinToken() != null) {
      return joinToken(settings.joinToken(), Setting.JOIN_TOKEN.yamlKey());
    }
    if (settings.joinTokenFile() == null) {
      return null;
    }
    String name = Setting.JOIN_TOKEN_FILE.yamlKey();
    Path file = path(settings.joinTokenFile(), home, name);
    String text = readSmallFile(file, name).strip(); // `echo token > file` adds a newline
    try {
      return JoinToken.of(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          name
              + " "
              + shown(file)
              + " does not hold a usable join token: "
              + e.getMessage()
              + "; write "
              + JoinToken.accepted()
              + ", alone in the file");
    }
  }

  static String readSmallFile(Path file, String name) {
    requireReadableFile(file, name);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_TOKEN_FILE_BYTES + 1);
      if (bytes.length > MAX_TOKEN_FILE_BYTES) {
        throw new ConfigException(
            name
                + " "
                + shown(file)
                + " is larger than "
                + MAX_TOKEN_FILE_BYTES
                + " bytes: is it the right file? It holds the token alone");
      }
      return new String(bytes, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(name + " " + shown(file) + " cannot be read by this user");
    }
  }

  /** All three files or none; each a readable file now, so no handshake fails on it later. */
  private static TlsFiles tls(ControlSettings settings, Path home) {
    List<Setting> set = new ArrayList<>();
    List<Setting> unset = new ArrayList<>();
    for (Setting file : List.of(Setting.TLS_CA_FILE, Setting.TLS_CERT_FILE, Setting.TLS_KEY_FILE)) {
      (text(settings, file) == null ? unset : set).add(file);
    }
    if (set.isEmpty()) {
      return null;
    }
    if (!unset.isEmpty()) {
      throw new ConfigException(
          "tls_ca_file, tls_cert_file and tls_key_file go together, and "
              + keys(set)
              + (set.size() == 1 ? " is" : " are")
              + " set without "
              + keys(unset)
              + ": set all three for mutual TLS (`hivemind tls ca create`, `hivemind tls cert"
              + " create` write them), or none");
    }
    return new TlsFiles(
        readableFile(settings, Setting.TLS_CA_FILE, home),
        readableFile(settings, Setting.TLS_CERT_FILE, home),
        readableFile(settings, Setting.TLS_KEY_FILE, home));
  }

  private static String keys(List<Setting> settings) {
    return SettingRules.orList(settings.stream().map(Setting::yamlKey).toList())
        .replace(" or ", " and ");
  }

  private static Path readableFile(ControlSettings settings, Setting setting, Path home) {
    Path file = path(text(settings, setting), home, setting.yamlKey());
    requireReadableFile(file, setting.yamlKey());
    return file;
  }

  private static void requireReadableFile(Path file, String name) {
    String why = null;
    if (!Files.exists(file)) {
      why = "does not exist";
    } else if (!Files.isRegularFile(file)) {
      why = "is not a file";
    } else if (!Files.isReadable(file)) {
      why = "cannot be read by this user";
    }
    if (why != null) {
      throw new ConfigException(name + " " + shown(file) + " " + why);
    }
  }

  /**
   * A path as a sentence shows it: whole (unlike {@link SettingRules#quote}, which cuts long
   * values, since a path's end is what tells it apart), with line breaks escaped so that the
   * sentence stays one line.
   */
  static String shown(Path path) {
    StringBuilder shown = new StringBuilder("'");
    path.toString()
        .codePoints()
        .forEach(
            c -> {
              if (SettingRules.breaksTheLine(c)) {
                shown.append(String.format("\\u%04x", c));
              } else {
                shown.appendCodePoint(c);
              }
            });
    return shown.append("'").toString();
  }
}
