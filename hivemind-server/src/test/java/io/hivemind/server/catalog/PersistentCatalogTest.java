package io.hivemind.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.CatalogDelta;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogReplica;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.Weights;
import io.hivemind.core.control.ControlCommand;
import io.hivemind.core.control.ControlEntry;
import io.hivemind.core.control.ControlState;
import io.hivemind.core.control.ExternalCatalog;
import io.hivemind.core.control.ExternalCheck;
import io.hivemind.core.control.ExternalNode;
import io.hivemind.core.control.ExternalService;
import io.hivemind.core.control.RemovalPolicy;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The merge of persistent registrations into a replica's snapshot, and its index rule. */
class PersistentCatalogTest {

  private final ControlState state = ControlState.empty(RemovalPolicy.DEFAULT);
  private long index;

  PersistentCatalogTest() {
    apply(new ControlCommand.Bootstrap("main", "testing"));
  }

  private void apply(ControlCommand command) {
    state.apply(++index, ControlEntry.of(1_000, command));
  }

  private ExternalCatalog external() {
    return state.view().external();
  }

  private static CatalogView replica(long index, Map<String, Long> serviceIndexes) {
    return new CatalogView(
        index, Collections.unmodifiableNavigableMap(new TreeMap<>()), serviceIndexes, 0);
  }

  private void register(String node, String serviceAddress) {
    apply(
        new ControlCommand.CatalogRegister(
            new ExternalNode(node, "10.0.0.7", Map.of(), Map.of()),
            Optional.of(
                new ExternalService(
                    "web-" + node,
                    "web",
                    List.of("a"),
                    serviceAddress,
                    80,
                    Map.of(),
                    Weights.DEFAULT)),
            List.of(
                new ExternalCheck("node-up", "up", HealthStatus.WARNING, "", "", ""),
                new ExternalCheck("web-up", "web", HealthStatus.PASSING, "", "", "web-" + node)),
            false));
  }

  @Test
  void merge_nothingEverRegistered_isTheReplicaItself() {
    CatalogView replica = replica(5, Map.of("db", 4L));

    assertThat(PersistentCatalog.merge(replica, external(), "testing")).isSameAs(replica);
  }

  @Test
  void merge_instanceCarriesNodeAndServiceChecksOwnerAndAddressFallback() {
    register("ext-1", "");
    register("ext-2", "192.0.2.5");

    CatalogView merged = PersistentCatalog.merge(replica(5, Map.of()), external(), "testing");

    List<CatalogEntry> web = merged.instances("web");
    assertThat(web).hasSize(2);
    assertThat(web.get(0).instance().owner()).isEqualTo("external:ext-1");
    assertThat(web.get(0).instance().session()).isEqualTo(PersistentCatalog.SESSION);
    assertThat(web.get(0).instance().address()).isEqualTo("10.0.0.7");
    assertThat(web.get(1).instance().address()).isEqualTo("192.0.2.5");
    assertThat(web.get(0).instance().health()).isEqualTo(HealthStatus.WARNING);
    assertThat(web.get(0).instance().checks()).hasSize(2);
    assertThat(web.get(0).createIndex()).isEqualTo(2);
    assertThat(merged.instanceCount()).isEqualTo(2);
  }

  @Test
  void merge_indexIsTheSumOfBothAndNeverFallsWhenAServiceGoes() {
    register("ext-1", "");
    CatalogView first =
        PersistentCatalog.merge(replica(5, Map.of("db", 4L)), external(), "testing");
    assertThat(first.index()).isEqualTo(5 + 2);
    assertThat(first.serviceIndex("web")).isEqualTo(2);
    assertThat(first.serviceIndex("db")).isEqualTo(4 + 2);

    apply(new ControlCommand.CatalogDeregister("ext-1", "", ""));
    CatalogView second =
        PersistentCatalog.merge(replica(5, Map.of("db", 4L)), external(), "testing");

    assertThat(second.instances("web")).isEmpty();
    assertThat(second.index()).isGreaterThan(first.index());
    assertThat(second.serviceIndex("web")).isGreaterThan(first.serviceIndex("web"));
    assertThat(second.serviceIndex("never-seen")).isEqualTo(3);
  }

  @Test
  void merge_intoAReplicasSnapshot_addsAfterItsOwnAndLeavesTheSnapshotAlone() {
    CatalogReplica replica = new CatalogReplica();
    replica.ownerAdmitted("agent-1");
    ServiceInstance own =
        new ServiceInstance(
            "web",
            "web-own",
            "10.0.0.1",
            80,
            List.of(),
            Map.of(),
            Weights.DEFAULT,
            Environment.TESTING,
            "agent-1",
            ServiceInstance.AGENT_SESSION,
            List.of());
    replica.apply(new CatalogDelta("agent-1", 1, 0, 1, List.of(own), List.of()));
    CatalogView snapshot = replica.view();
    register("ext-1", "");

    CatalogView merged = PersistentCatalog.merge(snapshot, external(), "testing");

    assertThat(merged.instances("web"))
        .extracting(entry -> entry.instance().id())
        .containsExactly("web-own", "web-ext-1");
    assertThat(merged.instancesIgnoringCase("WEB")).hasSize(2);
    assertThat(merged.instanceCount()).isEqualTo(2);
    assertThat(snapshot.instances("web")).hasSize(1);
    assertThat(snapshot.instanceCount()).isEqualTo(1);
  }
}
