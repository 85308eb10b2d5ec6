package io.hivemind.bench;

import java.net.URI;

/**
 * The options of {@link StateMigrationFigures}, validated; {@link #parse} names the offending
 * option.
 *
 * @param command {@code load} (write every entry once) or {@code verify} (read every entry back)
 * @param endpoint one agent's base URI; the client routes each call to its key's owner from there
 * @param map the map's name
 * @param entries how many entries: keys {@code key-0} to {@code key-(entries-1)}
 * @param valueBytes every value's size
 * @param concurrency calls in flight at once (asynchronous calls, no thread each)
 * @param attempts how many times a call that failed (not a miss) is tried in all
 */
record StateMigrationConfig(
    String command,
    URI endpoint,
    String map,
    int entries,
    int valueBytes,
    int concurrency,
    int attempts) {

  static final String USAGE =
      "StateMigrationFigures load|verify --endpoint http://HOST:PORT [--map migration]"
          + " [--entries 100000] [--value-bytes 1000] [--concurrency 16] [--attempts 5]";

  /** 100 MB of values over 16,384 partitions: about 6 entries (6 KB) a partition. */
  static final int DEFAULT_ENTRIES = 100_000;

  /** A kilobyte: a session or a small document, large enough that bytes matter next to calls. */
  static final int DEFAULT_VALUE_BYTES = 1_000;

  /** The middle level, as StateFigures measures it. */
  static final int DEFAULT_CONCURRENCY = 16;

  /**
   * A call that failed is retried: a write or read that meets a partition in motion may be told to
   * come back later (503), which is not a lost entry. Five tries 200 ms apart outlast a table
   * change; a call that fails five times is counted as failed.
   */
  static final int DEFAULT_ATTEMPTS = 5;

  /** Keeps one option from making the client allocate without bound. */
  static final int MAX_VALUE_BYTES = 1 << 20;

  StateMigrationConfig {
    if (!command.equals("load") && !command.equals("verify")) {
      throw new IllegalArgumentException("the command must be load or verify, was " + command);
    }
    if (endpoint == null || endpoint.getHost() == null) {
      throw new IllegalArgumentException("--endpoint http://HOST:PORT is required");
    }
    if (map.isBlank()) {
      throw new IllegalArgumentException("--map must not be blank");
    }
    if (entries < 1) {
      throw new IllegalArgumentException("--entries must be at least 1, was " + entries);
    }
    if (valueBytes < 1 || valueBytes > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException(
          "--value-bytes must be 1 to " + MAX_VALUE_BYTES + ", was " + valueBytes);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("--concurrency must be at least 1, was " + concurrency);
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("--attempts must be at least 1, was " + attempts);
    }
  }

  static StateMigrationConfig parse(String... args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("a command is required: load or verify");
    }
    String command = args[0];
    URI endpoint = null;
    String map = "migration";
    int entries = DEFAULT_ENTRIES;
    int valueBytes = DEFAULT_VALUE_BYTES;
    int concurrency = DEFAULT_CONCURRENCY;
    int attempts = DEFAULT_ATTEMPTS;
    for (int i = 1; i < args.length; i += 2) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[i + 1];
      switch (option) {
        case "--endpoint" -> endpoint = uri(value);
        case "--map" -> map = value;
        case "--entries" -> entries = number(option, value);
        case "--value-bytes" -> valueBytes = number(option, value);
        case "--concurrency" -> concurrency = number(option, value);
        case "--attempts" -> attempts = number(option, value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    return new StateMigrationConfig(
        command, endpoint, map, entries, valueBytes, concurrency, attempts);
  }

  private static URI uri(String value) {
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--endpoint is not a URI: " + value, e);
    }
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a number, was " + value, e);
    }
  }
}
