package io.hivemind.bench;

import io.hivemind.api.AgentMember;
import io.hivemind.api.MemberState;
import io.hivemind.client.HivemindClient;
import io.hivemind.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Scenario benchmark of agents as separate processes, started by the repository's launcher: K
 * agents on loopback started together (each later one seeded with the first), then one killed with
 * SIGKILL. Prints the time until every agent's HTTP API lists all K members ALIVE, the time until
 * every survivor lists the killed one DEAD, and each agent's idle CPU and RSS.
 *
 * <p>Run from the repository root, after {@code ./mvnw install -DskipTests}: {@code java -cp
 * hivemind-bench/target/benchmarks.jar io.hivemind.bench.AgentProcessFigures [--agents 10]
 * [--profile lan] [--warmup-seconds 300] [--idle-seconds 120]}. Extra launcher flags go through
 * HIVEMIND_JAVA_OPTS.
 */
public final class AgentProcessFigures {

  private static final long POLL_MILLIS = 20;

  private AgentProcessFigures() {}

  public static void main(String[] args) throws Exception {
    int count = 10;
    String profile = "lan";
    int warmupSeconds = 300;
    int idleSeconds = 120;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--agents" -> count = Integer.parseInt(args[i + 1]);
        case "--profile" -> profile = args[i + 1];
        case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[i + 1]);
        case "--idle-seconds" -> idleSeconds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path launcher = Path.of("hivemind").toAbsolutePath();
    Path logs = Files.createTempDirectory("hivemind-agents");
    List<Process> processes = new ArrayList<>();
    List<HivemindClient> clients = new ArrayList<>();
    try {
      int[] gossip = new int[count];
      int[] http = new int[count];
      for (int i = 0; i < count; i++) {
        gossip[i] = FreePorts.tcpAndUdp();
        http[i] = FreePorts.tcpAndUdp();
      }
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        List<String> command =
            new ArrayList<>(
                List.of(
                    launcher.toString(),
                    "agent",
                    "--node",
                    "agent-" + i,
                    "--env",
                    "testing",
                    "--cluster",
                    "bench",
                    "--bind",
                    "127.0.0.1:" + gossip[i],
                    "--http-bind",
                    "127.0.0.1:" + http[i],
                    "--profile",
                    profile));
        if (i > 0) {
          command.addAll(List.of("--seed", "127.0.0.1:" + gossip[0]));
        }
        processes.add(
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("agent-" + i + ".log").toFile())
                .start());
        clients.add(HivemindClient.connect(URI.create("http://127.0.0.1:" + http[i])));
      }
      long allUp = waitUntil(() -> clients.stream().allMatch(AgentProcessFigures::answers), 60);
      int agents = count;
      long allAgree = waitUntil(() -> allSee(clients, agents, MemberState.ALIVE), 60);
      System.out.printf(
          Locale.ROOT,
          "agents %d, profile %s%n  all HTTP APIs up          %.3f s after spawning%n"
              + "  all list all ALIVE        %.3f s after spawning (%.3f s after the last API was"
              + " up)%n",
          count,
          profile,
          seconds(allUp - start),
          seconds(allAgree - start),
          seconds(allAgree - allUp));

      // C1 compiles a method after about 200 calls; the probe path runs once a second, so the
      // agents need minutes before their idle cost is their steady cost.
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
      System.out.printf(
          Locale.ROOT,
          "  idle, per agent (over %d s, from %d s after the cluster formed):%n",
          idleSeconds,
          warmupSeconds);
      List<long[]> before = new ArrayList<>();
      for (Process p : processes) {
        before.add(new long[] {cpuTicks(p.pid()), System.nanoTime()});
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
      for (int i = 0; i < count; i++) {
        long pid = processes.get(i).pid();
        double cpuSeconds = (cpuTicks(pid) - before.get(i)[0]) / 100.0; // USER_HZ = 100
        double wallSeconds = seconds(System.nanoTime() - before.get(i)[1]);
        System.out.printf(
            Locale.ROOT,
            "    agent-%d  CPU %.2f %%  RSS %d MB%n",
            i,
            100 * cpuSeconds / wallSeconds,
            rssKb(pid) / 1024);
      }

      Process victim = processes.get(count - 1);
      long killedAt = System.nanoTime();
      victim.destroyForcibly();
      List<HivemindClient> survivors = clients.subList(0, count - 1);
      String victimName = "agent-" + (count - 1);
      long allDead = waitUntil(() -> allSeeAs(survivors, victimName, MemberState.DEAD), 120);
      System.out.printf(
          Locale.ROOT,
          "  kill -9 -> DEAD in every survivor's list  %.3f s%n",
          seconds(allDead - killedAt));
    } finally {
      processes.forEach(Process::destroy);
      for (Process p : processes) {
        p.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static long waitUntil(Condition condition, int timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      if (condition.holds()) {
        return System.nanoTime();
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IllegalStateException("condition not met within " + timeoutSeconds + " s");
  }

  private static boolean answers(HivemindClient client) {
    try {
      client.self();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean allSee(List<HivemindClient> clients, int count, MemberState state) {
    for (HivemindClient client : clients) {
      List<AgentMember> members = client.members();
      if (members.stream().filter(m -> m.state() == state).count() != count) {
        return false;
      }
    }
    return true;
  }

  private static boolean allSeeAs(List<HivemindClient> clients, String name, MemberState state) {
    return clients.stream()
        .allMatch(
            c -> c.members().stream().anyMatch(m -> m.name().equals(name) && m.state() == state));
  }

  /** utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
