package io.hivemind.bench;

import io.hivemind.client.HivemindClient;
import io.hivemind.client.StateMap;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The data half of issue 13's migration figure: {@code load} writes N entries of V bytes into a map
 * through {@code HivemindClient.state} (client routing to each key's owner, 16 asynchronous calls
 * in flight), {@code verify} reads every one back after a member crashed and its replicas were
 * re-created, and counts entries missing or wrong (0 expected: the crash of one member of a table
 * with one backup loses nothing). {@code hivemind-bench/scripts/state-migration.sh} starts the
 * cluster, kills the member and times the re-replication around these two.
 *
 * <p>{@code java -cp hivemind-bench/target/benchmarks.jar io.hivemind.bench.StateMigrationFigures
 * load|verify --endpoint http://127.0.0.1:PORT [--map migration] [--entries 100000] [--value-bytes
 * 1000] [--concurrency 16] [--attempts 5]}. Prints one line: {@code COMMAND: entries=N missing=M
 * wrong=W failed=F retried=R seconds=S per_second=P failures={...}}. Exits 0 when every entry was
 * written (load) or read back intact (verify), 1 otherwise, 2 on a bad option.
 */
public final class StateMigrationFigures {

  /** Long enough for a table change to reach the client and the owner; short next to a pass. */
  private static final long RETRY_DELAY_MILLIS = 200;

  private StateMigrationFigures() {}

  public static void main(String[] args) throws InterruptedException {
    StateMigrationConfig config;
    try {
      config = StateMigrationConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(
          "StateMigrationFigures: " + e.getMessage() + "\nusage: " + StateMigrationConfig.USAGE);
      System.exit(2);
      return;
    }
    StateMap map = HivemindClient.connect(config.endpoint()).state(config.map());
    EntryPass pass =
        new EntryPass(
            stateEntries(map),
            config.entries(),
            config.valueBytes(),
            config.concurrency(),
            config.attempts(),
            CompletableFuture.delayedExecutor(RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS));
    EntryPass.Tally tally = config.command().equals("load") ? pass.load() : pass.verify();
    System.out.println(line(config.command(), tally));
    boolean intact = tally.missing() == 0 && tally.wrong() == 0 && tally.failed() == 0;
    System.exit(intact ? 0 : 1);
  }

  static String line(String command, EntryPass.Tally tally) {
    return String.format(
        Locale.ROOT,
        "%s: entries=%d missing=%d wrong=%d failed=%d retried=%d seconds=%.1f per_second=%.0f"
            + " failures=%s",
        command,
        tally.entries(),
        tally.missing(),
        tally.wrong(),
        tally.failed(),
        tally.retried(),
        tally.nanos() / 1e9,
        tally.perSecond(),
        tally.failures().toString().replace(' ', '_'));
  }

  private static AsyncEntries stateEntries(StateMap map) {
    return new AsyncEntries() {
      @Override
      public CompletableFuture<?> put(String key, byte[] value) {
        return map.putAsync(key, value, Duration.ZERO);
      }

      @Override
      public CompletableFuture<byte[]> get(String key) {
        return map.getAsync(key).thenApply(entry -> entry.map(e -> e.value()).orElse(null));
      }
    };
  }
}
