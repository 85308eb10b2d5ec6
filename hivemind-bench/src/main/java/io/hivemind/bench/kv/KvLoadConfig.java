package io.hivemind.bench.kv;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The options of {@link KvLoadFigures}, validated; {@link #parse} names the offending option and
 * value.
 *
 * @param system {@code etcd} or {@code hivemind}: which HTTP API to write through
 * @param endpoints base URIs of the members ({@code http://127.0.0.1:PORT})
 * @param inFlight the load levels, writes in flight, run one after the other
 * @param warmupSeconds unmeasured writing before each level's window
 * @param seconds each level's measured window
 * @param valueBytes the size of every value written
 * @param keys how many distinct keys the writes cycle through
 * @param timeoutSeconds how long one write may take before it counts as an error
 * @param memberPids the members' process ids, to measure their CPU time (empty: not measured)
 * @param workload {@code kv} (a key-value write: etcd's put, Hivemind's {@code PUT /v1/kv}), {@code
 *     txn} (a transaction writing a key and reading it back: etcd's {@code /v3/kv/txn}, Hivemind's
 *     {@code PUT /v1/txn}) or {@code registration} (a service instance: etcd's lease grant then put
 *     with the lease, Hivemind's {@code PUT /v1/agent/service/register}); each level of
 *     registrations registers instances numbered from its own base, so no level re-registers an
 *     earlier one's
 * @param check {@code none} or {@code ttl}: whether Hivemind's registrations carry a TTL check
 * @param services how many services the registrations spread over (1: all in one)
 * @param keyOffset added to every key number: a second run against the same cluster given an offset
 *     past the first's keys registers instances the first did not
 */
record KvLoadConfig(
    String system,
    List<URI> endpoints,
    List<Integer> inFlight,
    int warmupSeconds,
    int seconds,
    int valueBytes,
    int keys,
    int timeoutSeconds,
    List<Long> memberPids,
    String workload,
    String check,
    int services,
    long keyOffset) {

  static final String USAGE =
      "KvLoadFigures --system etcd|hivemind --endpoints http://127.0.0.1:PORT[,...]"
          + " [--in-flight 1,16,64] [--seconds 10] [--warmup-seconds 3] [--value-bytes 100]"
          + " [--keys 10000] [--timeout-seconds 5] [--member-pids PID,...]"
          + " [--workload kv|txn|registration] [--check none|ttl] [--services 1]"
          + " [--key-offset 0]";

  /** The levels the issue asks for: one write at a time, then batches of 16 and 64. */
  static final List<Integer> DEFAULT_IN_FLIGHT = List.of(1, 16, 64);

  /** Long enough for a few thousand samples at the slowest level; short on shared cores. */
  static final int DEFAULT_SECONDS = 10;

  /** Enough to open every connection and let C2 compile the client's hot path. */
  static final int DEFAULT_WARMUP_SECONDS = 3;

  /** The value size: a small configuration entry. */
  static final int DEFAULT_VALUE_BYTES = 100;

  /** Bounds the systems' state (about 1 MB of values) however many writes a run sends. */
  static final int DEFAULT_KEYS = 10_000;

  /** Far above any healthy commit; a write that takes longer is a failure worth counting. */
  static final int DEFAULT_TIMEOUT_SECONDS = 5;

  KvLoadConfig {
    if (!system.equals("etcd") && !system.equals("hivemind")) {
      throw new IllegalArgumentException("--system must be etcd or hivemind, was " + system);
    }
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("--endpoints is required");
    }
    if (!workload.equals("kv") && !workload.equals("txn") && !workload.equals("registration")) {
      throw new IllegalArgumentException(
          "--workload must be kv, txn or registration, was " + workload);
    }
    if (!check.equals("none") && !check.equals("ttl")) {
      throw new IllegalArgumentException("--check must be none or ttl, was " + check);
    }
    endpoints = List.copyOf(endpoints);
    inFlight = List.copyOf(inFlight);
    memberPids = List.copyOf(memberPids);
    requireAtLeast("--warmup-seconds", warmupSeconds, 0);
    requireAtLeast("--seconds", seconds, 1);
    requireAtLeast("--value-bytes", valueBytes, 1);
    requireAtLeast("--keys", keys, 1);
    requireAtLeast("--services", services, 1);
    if (keyOffset < 0) {
      throw new IllegalArgumentException("--key-offset must be at least 0, was " + keyOffset);
    }
    requireAtLeast("--timeout-seconds", timeoutSeconds, 1);
    inFlight.forEach(level -> requireAtLeast("--in-flight", level, 1));
  }

  static KvLoadConfig parse(String... args) {
    Builder builder = new Builder();
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("option " + args[args.length - 1] + " has no value");
    }
    for (int i = 0; i < args.length; i += 2) {
      builder.set(args[i], args[i + 1]);
    }
    return builder.build();
  }

  private static void requireAtLeast(String option, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(
          option + " must be at least " + minimum + ", was " + value);
    }
  }

  /** Collects the options in any order; the record's constructor checks them together. */
  private static final class Builder {
    private String system = "";
    private List<URI> endpoints = List.of();
    private List<Integer> inFlight = DEFAULT_IN_FLIGHT;
    private int warmupSeconds = DEFAULT_WARMUP_SECONDS;
    private int seconds = DEFAULT_SECONDS;
    private int valueBytes = DEFAULT_VALUE_BYTES;
    private int keys = DEFAULT_KEYS;
    private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    private List<Long> memberPids = List.of();
    private String workload = "kv";
    private String check = "none";
    private int services = 1;
    private long keyOffset;

    void set(String option, String value) {
      switch (option) {
        case "--system" -> system = value.toLowerCase(Locale.ROOT);
        case "--endpoints" -> endpoints = endpoints(value);
        case "--in-flight" -> inFlight = integers(option, value);
        case "--warmup-seconds" -> warmupSeconds = integer(option, value);
        case "--seconds" -> seconds = integer(option, value);
        case "--value-bytes" -> valueBytes = integer(option, value);
        case "--keys" -> keys = integer(option, value);
        case "--timeout-seconds" -> timeoutSeconds = integer(option, value);
        case "--member-pids" -> memberPids = pids(value);
        case "--workload" -> workload = value.toLowerCase(Locale.ROOT);
        case "--check" -> check = value.toLowerCase(Locale.ROOT);
        case "--key-offset" -> keyOffset = integer(option, value);
        case "--services" -> services = integer(option, value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }

    KvLoadConfig build() {
      return new KvLoadConfig(
          system,
          endpoints,
          inFlight,
          warmupSeconds,
          seconds,
          valueBytes,
          keys,
          timeoutSeconds,
          memberPids,
          workload,
          check,
          services,
          keyOffset);
    }

    private static List<URI> endpoints(String value) {
      List<URI> uris = new ArrayList<>();
      for (String part : value.split(",")) {
        uris.add(endpoint(part.strip()));
      }
      return uris;
    }

    private static URI endpoint(String text) {
      IllegalArgumentException bad =
          new IllegalArgumentException("--endpoints wants http://HOST:PORT, got '" + text + "'");
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        bad.initCause(e);
        throw bad;
      }
      if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
        throw bad;
      }
      return uri;
    }

    private static List<Long> pids(String value) {
      return integers("--member-pids", value).stream().map(Integer::longValue).toList();
    }

    private static List<Integer> integers(String option, String value) {
      return Arrays.stream(value.split(",")).map(part -> integer(option, part.strip())).toList();
    }

    private static int integer(String option, String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " wants a number, got '" + value + "'", e);
      }
    }
  }
}
