package io.hivemind.bench;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogReplica;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the agent pays per publish (issue 11): one instance changes, then {@link
 * CatalogReplica#view()} takes the snapshot HTTP and DNS read. Two shapes of catalogue: many
 * services of a few instances (1,000 × 20) and one huge service (1 × 20,000). A publish should cost
 * what changed, not the catalogue's size.
 *
 * <p>Run: {@code java -jar hivemind-bench/target/benchmarks.jar CatalogViewBenchmark -f 1 -wi 2 -i
 * 3}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CatalogViewBenchmark {

  private static final String OWNER = "agent-1";

  /** "services x instances per service". */
  @Param({"1000x20", "1x20000"})
  String shape;

  private CatalogReplica replica;
  private int services;
  private int perService;
  private long seq;
  private int next;

  @Setup
  public void setUp() {
    String[] parts = shape.split("x");
    services = Integer.parseInt(parts[0]);
    perService = Integer.parseInt(parts[1]);
    replica = new CatalogReplica();
    replica.ownerAdmitted(OWNER);
    List<ServiceInstance> all = new ArrayList<>();
    for (int s = 0; s < services; s++) {
      for (int i = 0; i < perService; i++) {
        all.add(instance(s, i, 8080));
      }
    }
    seq = 1;
    replica.apply(new CatalogDelta(OWNER, 1, 0, seq, all, List.of()));
    replica.view();
  }

  /** One instance's port changes (an upsert), then a snapshot is published. */
  @Benchmark
  public CatalogView oneChangeThenView() {
    int k = next++;
    // The port follows seq, so each visit of an instance (every services × perService steps) is a
    // real change, never a no-op upsert.
    int port = 1 + (int) (seq % 60_000);
    ServiceInstance changed = instance(k % services, (k / services) % perService, port);
    replica.apply(new CatalogDelta(OWNER, 1, seq, seq + 1, List.of(changed), List.of()));
    seq++;
    return replica.view();
  }

  private static ServiceInstance instance(int service, int id, int port) {
    return new ServiceInstance(
        "service-" + service,
        "service-" + service + "-" + id,
        "10.0.0.1",
        port,
        List.of("v1"),
        Map.of(),
        Weights.DEFAULT,
        Environment.DEVELOPMENT,
        OWNER,
        ServiceInstance.AGENT_SESSION,
        List.of());
  }
}
