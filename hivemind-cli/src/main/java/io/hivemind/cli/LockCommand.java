package io.hivemind.cli;

import io.hivemind.client.HivemindClient;
import io.hivemind.client.LeaderElection;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hivemind lock PREFIX COMMAND...}: Consul's {@code consul lock}. Waits for the lock on
 * {@code PREFIX/.lock} (a {@link LeaderElection}: a session with a TTL, renewed), runs the command
 * while it holds it, and gives it back when the command exits, with the command's exit code. When
 * the lock is lost (the agent unreachable for a TTL, the key taken away) the command and the
 * processes it started are stopped (SIGTERM, then SIGKILL after {@link #STOP_GRACE}) and the exit
 * code is 1. One argument runs through {@code sh -c}, as Consul's does; several run as they are,
 * without a shell.
 */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    description =
        "Run a command while holding a KV lock (Consul's `consul lock`): wait for PREFIX/.lock,"
            + " run the command, give the lock back when it exits and exit with its code; stop"
            + " it and exit 1 if the lock is lost.")
final class LockCommand implements Callable<Integer> {

  /** How long a command has to end after SIGTERM before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  @Spec private CommandSpec spec;

  @Mixin private AgentAddressOptions agent;

  @Option(
      names = "--ttl",
      defaultValue = "15s",
      converter = TextConverters.Millis.class,
      description =
          "The session's TTL, 10s to 24h (default 15s): how long the lock outlives this process"
              + " if it dies, at most twice that.")
  private long ttlMillis;

  @Option(
      names = "--lock-delay",
      defaultValue = "15s",
      converter = TextConverters.Millis.class,
      description =
          "How long the lock stays taken after this process died holding it (default 15s, at"
              + " most 60s); a lock given back is free at once.")
  private long lockDelayMillis;

  @Option(
      names = "--timeout",
      defaultValue = "0s",
      converter = TextConverters.Millis.class,
      description = "Give up (exit 1) when the lock is not taken within this (default: wait).")
  private long timeoutMillis;

  @Parameters(index = "0", paramLabel = "PREFIX", description = "The lock is PREFIX/.lock.")
  private String prefix;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "COMMAND",
      description = "The command; one argument runs through sh -c.")
  private List<String> command;

  @Override
  public Integer call() {
    return agent.call(spec, this::run);
  }

  private int run(HivemindClient client) {
    PrintWriter err = spec.commandLine().getErr();
    String key = lockKey(prefix);
    CountDownLatch taken = new CountDownLatch(1);
    AtomicBoolean lost = new AtomicBoolean();
    AtomicReference<Process> child = new AtomicReference<>();
    byte[] holder = holder().getBytes(StandardCharsets.UTF_8);
    try (LeaderElection election =
        LeaderElection.start(
            client,
            key,
            holder,
            Duration.ofMillis(ttlMillis),
            Duration.ofMillis(lockDelayMillis),
            leading -> {
              if (leading) {
                taken.countDown();
              } else if (taken.getCount() == 0) {
                lost.set(true);
                stop(child.get());
              }
            })) {
      Thread hook = new Thread(() -> stopAndRelease(child.get(), election), "hivemind-lock-exit");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        if (!await(taken)) {
          err.println(
              "hivemind: the lock on " + key + " was not taken within " + timeoutMillis + " ms");
          return HivemindCommand.FAILURE;
        }
        child.set(start(command));
        if (lost.get()) {
          stop(child.get());
        }
        int exit = child.get().waitFor();
        if (lost.get()) {
          err.println("hivemind: lost the lock on " + key + "; the command was stopped");
          return HivemindCommand.FAILURE;
        }
        return exit;
      } finally {
        removeQuietly(hook);
      }
    } catch (IOException e) {
      err.println("hivemind: cannot run " + command.get(0) + ": " + e.getMessage());
      return HivemindCommand.FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(child.get());
      return HivemindCommand.FAILURE;
    }
  }

  /** Consul's key for a lock on a prefix. */
  static String lockKey(String prefix) {
    String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    return trimmed + "/.lock";
  }

  private boolean await(CountDownLatch taken) throws InterruptedException {
    if (timeoutMillis <= 0) {
      taken.await();
      return true;
    }
    return taken.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** The key's value while this process holds it: who holds it, for a person reading the key. */
  private static String holder() {
    return "hivemind lock, pid " + ProcessHandle.current().pid();
  }

  static Process start(List<String> command) throws IOException {
    List<String> argv = command.size() == 1 ? List.of("sh", "-c", command.get(0)) : command;
    return new ProcessBuilder(argv).inheritIO().start();
  }

  /**
   * SIGTERM to the command and everything it started (a shell's children would outlive the shell
   * otherwise, still doing the work the lock guarded), then SIGKILL to what has not ended within
   * the grace.
   */
  static void stop(Process process) {
    if (process == null || !process.isAlive()) {
      return;
    }
    List<ProcessHandle> tree = process.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** On SIGINT or SIGTERM: the command goes first, then the lock is given back. */
  private static void stopAndRelease(Process process, LeaderElection election) {
    stop(process);
    election.close();
  }

  private static void removeQuietly(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs (or ran) anyway.
    }
  }
}
