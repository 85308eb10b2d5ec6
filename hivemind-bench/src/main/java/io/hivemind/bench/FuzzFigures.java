package io.hivemind.bench;

import io.hivemind.fuzz.Choices;
import io.hivemind.fuzz.ConfigTarget;
import io.hivemind.fuzz.FuzzFailure;
import io.hivemind.fuzz.FuzzTarget;
import io.hivemind.fuzz.GossipTarget;
import io.hivemind.fuzz.Outcomes;
import io.hivemind.server.http.HttpHeadTarget;
import io.hivemind.server.transport.StreamFramingTarget;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fuzz suite's long run: each target of hivemind-fuzz for a million inputs (the short runs in
 * the tests try a few thousand), printing inputs per second, what the inputs came to (accepted, or
 * rejected and why), the most heap in use, the slowest trial, and every broken property with its
 * input in hex. The tables of docs/benchmarks.md, "Fuzzing".
 *
 * <p>Run: {@code java -cp hivemind-bench/target/benchmarks.jar io.hivemind.bench.FuzzFigures
 * [--inputs 1000000] [--config-inputs 1000000] [--targets gossip,stream,http,config] [--seed 1]}.
 *
 * <p>Trial {@code i} of a run is made from {@code Choices.seeded(seed, i)}, so a failure printed
 * here replays with the same seed and trial number, or from the draws the report gives.
 */
public final class FuzzFigures {

  /** Failures printed in full per target; the rest are counted. */
  private static final int FAILURES_SHOWN = 5;

  /** The heap in use is sampled once every this many trials. */
  private static final int HEAP_SAMPLE_TRIALS = 1_000;

  private FuzzFigures() {}

  /** What one target's run came to. */
  private record Run(
      String target,
      Outcomes outcomes,
      long trials,
      long failed,
      List<String> failures,
      double seconds,
      long heapMaxBytes,
      double slowestTrialMillis,
      long slowestTrial) {}

  public static void main(String[] args) {
    long inputs = 1_000_000;
    long configInputs = -1;
    List<String> targets = List.of("gossip", "stream", "http", "config");
    long seed = 1;
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException(
          "options come in pairs (--inputs 1000000 --targets gossip,http ...), got "
              + String.join(" ", args));
    }
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--inputs" -> inputs = Long.parseLong(value);
        case "--config-inputs" -> configInputs = Long.parseLong(value);
        case "--targets" -> targets = Arrays.asList(value.split(","));
        case "--seed" -> seed = Long.parseLong(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Run> runs = new ArrayList<>();
    for (String name : targets) {
      long count = name.equals("config") && configInputs >= 0 ? configInputs : inputs;
      Run run = run(target(name), count, seed);
      runs.add(run);
      System.out.println(outcomes(run));
    }
    System.out.println(summary(runs, seed));
  }

  private static FuzzTarget target(String name) {
    return switch (name) {
      case "gossip" -> new GossipTarget();
      case "stream" -> new StreamFramingTarget();
      case "http" -> new HttpHeadTarget();
      case "config" -> new ConfigTarget();
      default -> throw new IllegalArgumentException("unknown target " + name);
    };
  }

  /** Runs trials of {@code target} until {@code inputs} inputs have been fed. */
  private static Run run(FuzzTarget target, long inputs, long seed) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    Outcomes outcomes = new Outcomes();
    List<String> failures = new ArrayList<>();
    long trials = 0;
    long failed = 0;
    long heapMax = 0;
    long slowest = 0;
    long slowestTrial = 0;
    long start = System.nanoTime();
    while (outcomes.inputs() + failed < inputs) {
      long trialStart = System.nanoTime();
      String failure = trial(target, seed, trials, outcomes);
      long took = System.nanoTime() - trialStart;
      if (failure != null) {
        failed++;
        if (failures.size() < FAILURES_SHOWN) {
          failures.add("trial " + trials + ": " + failure);
        }
      }
      if (took > slowest) {
        slowest = took;
        slowestTrial = trials;
      }
      if (trials % HEAP_SAMPLE_TRIALS == 0) {
        heapMax = Math.max(heapMax, memory.getHeapMemoryUsage().getUsed());
      }
      trials++;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    heapMax = Math.max(heapMax, memory.getHeapMemoryUsage().getUsed());
    return new Run(
        target.name(),
        outcomes,
        trials,
        failed,
        failures,
        seconds,
        heapMax,
        slowest / 1e6,
        slowestTrial);
  }

  /** One trial; its failure as text (property, detail, input in hex), or null. */
  private static String trial(FuzzTarget target, long seed, long trial, Outcomes outcomes) {
    try {
      target.run(Choices.seeded(seed, trial), outcomes);
      return null;
    } catch (FuzzFailure broken) {
      return broken.getMessage();
    } catch (RuntimeException | StackOverflowError e) {
      return "the trial crashed: " + e;
    }
  }

  private static String outcomes(Run run) {
    StringBuilder text = new StringBuilder();
    text.append("\n### ").append(run.target()).append(": inputs by outcome\n\n");
    text.append("| outcome | inputs | share |\n|---|---|---|\n");
    long total = run.outcomes().inputs();
    for (Map.Entry<String, Long> entry : run.outcomes().byCount()) {
      text.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.2f %% |%n",
              entry.getKey().replace("|", "\\|"),
              entry.getValue(),
              100.0 * entry.getValue() / total));
    }
    if (!run.failures().isEmpty()) {
      text.append("\nfailures (").append(run.failed()).append("):\n");
      run.failures().forEach(f -> text.append(f).append("\n\n"));
    }
    return text.toString();
  }

  private static String summary(List<Run> runs, long seed) {
    StringBuilder text = new StringBuilder();
    text.append("\n### Summary (seed ").append(seed).append(")\n\n");
    text.append(
        "| target | inputs | trials | wall | inputs/s | broken properties | heap in use, max"
            + " | slowest trial |\n|---|---|---|---|---|---|---|---|\n");
    for (Run run : runs) {
      long inputs = run.outcomes().inputs() + run.failed();
      text.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %,d | %.0f s | %,.0f | %d | %.0f MB | %.1f ms (trial %d) |%n",
              run.target(),
              inputs,
              run.trials(),
              run.seconds(),
              inputs / run.seconds(),
              run.failed(),
              run.heapMaxBytes() / 1e6,
              run.slowestTrialMillis(),
              run.slowestTrial()));
    }
    text.append(
        String.format(
            Locale.ROOT,
            "%nJVM: %s %s, max heap %.0f MB, %d processors%n",
            System.getProperty("java.vm.name"),
            System.getProperty("java.version"),
            Runtime.getRuntime().maxMemory() / 1e6,
            Runtime.getRuntime().availableProcessors()));
    return text.toString();
  }
}
