package io.hivemind.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The options of {@link StateFigures}, validated; {@link #parse} names the offending option.
 *
 * @param backend {@code hazelcast} or {@code hivemind}
 * @param endpoints Hazelcast: the members' {@code host:port}; Hivemind: one agent's base URI
 * @param cluster Hazelcast's cluster name
 * @param map the map's name
 * @param keys how many keys: each is written once before the levels, then read and overwritten
 * @param valueBytes every value's size
 * @param concurrency the levels: calls in flight (one blocking worker thread each)
 * @param putPercent the share of puts, 0 to 100; the rest are gets
 * @param seconds each level's measured window
 * @param warmupSeconds unmeasured load before each level's window
 */
record StateFiguresConfig(
    String backend,
    List<String> endpoints,
    String cluster,
    String map,
    int keys,
    int valueBytes,
    List<Integer> concurrency,
    int putPercent,
    int seconds,
    int warmupSeconds) {

  static final String USAGE =
      "StateFigures --backend hazelcast|hivemind --endpoints 127.0.0.1:PORT[,...]|http://HOST:PORT"
          + " [--cluster bench] [--map bench] [--keys 10000] [--value-bytes 100]"
          + " [--concurrency 1,16,64] [--mix 50:50 (put:get)] [--seconds 10] [--warmup-seconds 3]";

  /** The levels: one call at a time, then 16 and 64 in flight. */
  static final List<Integer> DEFAULT_CONCURRENCY = List.of(1, 16, 64);

  /** Sessions-sized state: about 1 MB of values, held whole by every member. */
  static final int DEFAULT_KEYS = 10_000;

  /** A small session record, the size KvLoadFigures uses too. */
  static final int DEFAULT_VALUE_BYTES = 100;

  /** Half puts, half gets: a session store's mix of touches and reads. */
  static final int DEFAULT_PUT_PERCENT = 50;

  /** Long enough for thousands of samples at the slowest level; short on shared cores. */
  static final int DEFAULT_SECONDS = 10;

  /** Opens every connection and lets the JIT compile both sides' hot paths. */
  static final int DEFAULT_WARMUP_SECONDS = 3;

  StateFiguresConfig {
    if (!backend.equals("hazelcast") && !backend.equals("hivemind")) {
      throw new IllegalArgumentException("--backend must be hazelcast or hivemind, was " + backend);
    }
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("--endpoints is required");
    }
    endpoints = List.copyOf(endpoints);
    concurrency = List.copyOf(concurrency);
    requireAtLeast("--keys", keys, 1);
    requireAtLeast("--value-bytes", valueBytes, 0);
    requireAtLeast("--seconds", seconds, 1);
    requireAtLeast("--warmup-seconds", warmupSeconds, 0);
    if (putPercent < 0 || putPercent > 100) {
      throw new IllegalArgumentException("--mix puts must be 0 to 100 %, was " + putPercent);
    }
    for (int level : concurrency) {
      requireAtLeast("--concurrency", level, 1);
    }
  }

  static StateFiguresConfig parse(String[] args) {
    String backend = null;
    List<String> endpoints = List.of();
    String cluster = "bench";
    String map = "bench";
    int keys = DEFAULT_KEYS;
    int valueBytes = DEFAULT_VALUE_BYTES;
    List<Integer> concurrency = DEFAULT_CONCURRENCY;
    int putPercent = DEFAULT_PUT_PERCENT;
    int seconds = DEFAULT_SECONDS;
    int warmup = DEFAULT_WARMUP_SECONDS;
    for (int i = 0; i < args.length; i += 2) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[i + 1];
      switch (option) {
        case "--backend" -> backend = value;
        case "--endpoints" -> endpoints = Arrays.asList(value.split(","));
        case "--cluster" -> cluster = value;
        case "--map" -> map = value;
        case "--keys" -> keys = number(option, value);
        case "--value-bytes" -> valueBytes = number(option, value);
        case "--concurrency" -> concurrency = numbers(option, value);
        case "--mix" -> putPercent = putPercent(value);
        case "--seconds" -> seconds = number(option, value);
        case "--warmup-seconds" -> warmup = number(option, value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (backend == null) {
      throw new IllegalArgumentException("--backend is required");
    }
    return new StateFiguresConfig(
        backend,
        endpoints,
        cluster,
        map,
        keys,
        valueBytes,
        concurrency,
        putPercent,
        seconds,
        warmup);
  }

  /** {@code PUTS:GETS}, such as {@code 50:50} or {@code 10:90}, as the share of puts. */
  private static int putPercent(String mix) {
    String[] parts = mix.split(":");
    if (parts.length != 2) {
      throw new IllegalArgumentException("--mix is PUTS:GETS, such as 50:50, was " + mix);
    }
    int puts = number("--mix", parts[0]);
    int gets = number("--mix", parts[1]);
    if (puts + gets == 0) {
      throw new IllegalArgumentException("--mix needs puts or gets, was " + mix);
    }
    return Math.round(100f * puts / (puts + gets));
  }

  private static List<Integer> numbers(String option, String value) {
    List<Integer> levels = new ArrayList<>();
    for (String part : value.split(",")) {
      levels.add(number(option, part));
    }
    return levels;
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a number, was '" + value + "'", e);
    }
  }

  private static void requireAtLeast(String option, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
    }
  }
}
