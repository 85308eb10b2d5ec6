package io.hivemind.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Agent configuration files as people write them by mistake and as attackers write them on purpose:
 * real files (every key, flow and block style, comments, the one-value forms) mutated by line and
 * token, and files built from parts: known and unknown keys with scalars of every YAML type, lists,
 * maps, huge values, deep nesting, anchors, aliases and merge keys, explicit tags (including Java
 * class tags), several documents, and binary garbage. {@link #aliasBomb} is the "billion laughs"
 * file.
 */
public final class YamlConfigs {

  /** A valid gossip key (32 bytes, base64): the bytes 0 to 31. */
  static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  /** The YAML keys of the agent's settings (README, "Configuring an agent"). */
  static final List<String> KEYS =
      List.of(
          "node_name",
          "environment",
          "instance",
          "cluster",
          "bind",
          "advertise",
          "http_bind",
          "seeds",
          "roles",
          "tags",
          "zone",
          "profile",
          "encrypt_keys",
          "insecure_plaintext_gossip",
          "log_format");

  /** Valid configuration files, the simplest first. */
  static final List<String> VALID =
      List.of(
          "node_name: web-7\n",
          "# agent.yaml\n"
              + "node_name: web-7\n"
              + "environment: production\n"
              + "seeds: [10.0.0.11, 10.0.0.12]\n"
              + "roles: [host, dns]\n"
              + "tags: {rack: r12}\n"
              + "zone: eu-west-1a\n"
              + "encrypt_keys: ["
              + KEY
              + "]\n",
          "node_name: db_2.eu-west\n"
              + "environment: testing\n"
              + "instance: 1\n"
              + "cluster: payments\n"
              + "bind: 0.0.0.0:7350\n"
              + "advertise: 10.1.2.3\n"
              + "http_bind: 127.0.0.1:7351\n"
              + "seeds:\n"
              + "  - 10.0.0.11\n"
              + "  - \"[fd00::1]:7340\"\n"
              + "roles:\n"
              + "  - catalog\n"
              + "  - control\n"
              + "tags:\n"
              + "  rack: r12\n"
              + "  tier: 'web'\n"
              + "profile: wan\n"
              + "log_format: json\n",
          "environment: staging\ninsecure_plaintext_gossip: true\nprofile: local\n",
          "seeds: 10.0.0.11, 10.0.0.12\ntags: rack=r12,tier=web\nroles: host\n",
          "",
          "# every setting keeps its default\n# node_name: web-7\n",
          "zone:\nnode_name: \"quoted-name\"\nlog_format: text\n");

  /** YAML's troublemakers. */
  static final List<String> TOKENS =
      List.of(
          "\n",
          ": ",
          "- ",
          "? ",
          "\t",
          "  ",
          "#",
          "'",
          "\"",
          "[",
          "]",
          "{",
          "}",
          ",",
          "&a ",
          "*a",
          "<<: *a\n",
          "!!binary ",
          "!!int ",
          "!!float ",
          "!!map ",
          "!!set ",
          "!!timestamp ",
          "!!python/object:os.system ",
          "!!java.net.URL ",
          "!<tag:yaml.org,2002:str> ",
          "---\n",
          "...\n",
          "%YAML 1.1\n",
          "%TAG ! tag:x,2000:\n",
          "|\n  ",
          ">-\n  ",
          "~",
          "null",
          "yes",
          "0x1F",
          "0o17",
          "1e999",
          ".nan",
          "2024-02-30",
          "\\u0000",
          "\"\\x00\\uD800\"");

  private static final List<String> SCALARS =
      List.of(
          "web-7",
          "production",
          "0",
          "1",
          "-1",
          "2147483648",
          "99999999999999999999999",
          "1.5",
          "true",
          "FALSE",
          "~",
          "null",
          "''",
          "\"\"",
          "\"tab\\there\"",
          "'it''s'",
          "10.0.0.1:99999",
          "[::1]:0",
          "0.0.0.0",
          "lan",
          "json",
          "host",
          "rack=r1,=x,y",
          KEY,
          "AAAA",
          "!!binary aGVsbG8=",
          "2001-12-14t21:59:43.10-05:00",
          "\"\\u00e9\\u0000\\n\"",
          "|\n  two\n  lines",
          "é-名前");

  /** Mutants stay under this; {@link #huge} makes the files at and over the 1 MiB limit. */
  private static final int MAX_LENGTH = 64 * 1024;

  private final TextMutator text = new TextMutator(VALID, TOKENS, MAX_LENGTH);

  /** One file: a real one mutated, one built from parts, a bomb, or garbage. */
  public byte[] next(Choices choices) {
    // Files near 1 MiB take SnakeYAML about half a second, nesting 10,000 deep a tenth: rare
    // enough that a million inputs still run in minutes (a few hundred of each).
    return switch (choices.below(64)) {
      case 60 -> choices.oneIn(8) ? deep(choices) : aliasBomb(choices.between(2, 10), 9);
      case 61 -> aliasBomb(choices.between(2, 10), choices.between(2, 12));
      case 62 -> choices.oneIn(48) ? huge(choices) : choices.bytes(choices.below(4096));
      case 63 -> choices.bytes(choices.below(4096));
      default -> choices.below(2) == 0 ? text.next(choices) : text.mutate(built(choices), choices);
    };
  }

  /**
   * The "billion laughs" file, as the value of {@code seeds}: each of {@code levels} anchored lists
   * holds {@code width} aliases of the one before, so the last stands for {@code width^levels}
   * strings (9 levels of 9: 387 million) in a file of a few hundred bytes.
   */
  public static byte[] aliasBomb(int levels, int width) {
    StringBuilder yaml = new StringBuilder("seeds:\n  - &l0 [\"lol\", \"lol\"]\n");
    for (int level = 1; level < levels; level++) {
      yaml.append("  - &l").append(level).append(" [");
      for (int i = 0; i < width; i++) {
        yaml.append(i == 0 ? "" : ", ").append("*l").append(level - 1);
      }
      yaml.append("]\n");
    }
    return yaml.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Settings put together from parts: keys known and not, values of every shape. */
  private static byte[] built(Choices choices) {
    StringBuilder yaml = new StringBuilder();
    int keys = choices.between(1, 6);
    for (int i = 0; i < keys; i++) {
      String key =
          choices.oneIn(5)
              ? choices.pick("nodename", "seed", "Node_Name", "x", "[a]", "? k")
              : choices.pick(KEYS);
      yaml.append(key).append(':').append(value(choices, 0)).append('\n');
    }
    if (choices.oneIn(6)) {
      yaml.append("anchor: &a {node_name: x, zone: y}\n").append("tags:\n  <<: *a\n");
    }
    if (choices.oneIn(8)) {
      yaml.append("---\n").append(VALID.get(0));
    }
    return yaml.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A value: a scalar, a flow or block list, a flow or block map, nested a few levels. */
  private static String value(Choices choices, int depth) {
    int shape = depth > 3 ? 0 : choices.below(6);
    return switch (shape) {
      case 0, 1 -> " " + choices.pick(SCALARS);
      case 2 -> " [" + String.join(", ", items(choices, depth)) + "]";
      case 3 ->
          "\n"
              + indent(depth + 1)
              + "- "
              + String.join("\n" + indent(depth + 1) + "- ", items(choices, depth));
      case 4 ->
          " {k:"
              + value(choices, depth + 1)
              + ", "
              + choices.pick(KEYS)
              + ":"
              + value(choices, depth + 1)
              + "}";
      default -> " &v" + depth + choices.pick("", " x", " [a]") + " *v" + depth;
    };
  }

  private static List<String> items(Choices choices, int depth) {
    int count = choices.between(0, 3);
    return IntStream.range(0, count).mapToObj(i -> value(choices, depth + 1).strip()).toList();
  }

  private static String indent(int depth) {
    return "  ".repeat(depth);
  }

  /** Nesting far deeper than any parser should follow: flow lists, flow maps or block maps. */
  private static byte[] deep(Choices choices) {
    int depth = choices.pick(60, 1_001, 10_000, 100_000);
    String open = choices.pick("[", "{a: ", "- ");
    String close = open.equals("[") ? "]" : open.equals("{a: ") ? "}" : "";
    StringBuilder yaml = new StringBuilder(choices.pick("seeds: ", "tags: ", "node_name: ", ""));
    yaml.append(open.repeat(depth)).append("x").append(close.repeat(depth)).append('\n');
    return yaml.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A value far larger than any setting: just under, at and over the file limit. */
  private static byte[] huge(Choices choices) {
    int length = choices.pick(10_000, 1_048_000, 1_048_576, 1_100_000);
    String key = choices.pick(KEYS);
    return (key + ": " + "a".repeat(Math.max(0, length - key.length() - 3)) + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
