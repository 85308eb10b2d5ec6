package io.hivemind.core.control;

import static io.hivemind.core.control.ControlStateTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Persistent catalogue registrations on the replicated state: Consul's register/deregister. */
class ControlStateCatalogTest {

  private final ControlLog log = ControlLog.bootstrapped();

  static ExternalNode node(String name) {
    return new ExternalNode(name, "10.0.0.9", Map.of("wan", "198.51.100.9"), Map.of("rack", "r1"));
  }

  static ExternalService service(String name, String id) {
    return new ExternalService(
        id, name, List.of("v1", "eu"), "", 8080, Map.of("team", "a"), new Weights(3, 1));
  }

  static ExternalCheck check(String checkId, String serviceId, String status) {
    return new ExternalCheck(
        checkId, "probe " + checkId, HealthStatus.parse(status), "notes", "ok", serviceId);
  }

  /** A node with one service and one check of it, {@code check-<id>}. */
  static ControlCommand.CatalogRegister register(
      String node, String service, String id, String status) {
    return new ControlCommand.CatalogRegister(
        node(node),
        Optional.of(service(service, id)),
        List.of(check("check-" + id, id, status)),
        false);
  }

  private ExternalCatalog catalog() {
    return log.state.view().external();
  }

  private ExternalNodeEntry nodeEntry(String name) {
    return catalog().nodes().get(name);
  }

  @Test
  void register_newNode_holdsNodeServiceAndCheckAtTheEntrysIndex() {
    ApplyResult result = log.apply(register("ext-1", "web", "web-1", "passing"));

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    ExternalNodeEntry entry = nodeEntry("ext-1");
    assertThat(entry.node()).isEqualTo(node("ext-1"));
    assertThat(entry.createIndex()).isEqualTo(2);
    assertThat(entry.services().get("web-1"))
        .isEqualTo(new ExternalEntry<>(service("web", "web-1"), 2, 2));
    assertThat(entry.checks().get("check-web-1").value().status()).isEqualTo(HealthStatus.PASSING);
    assertThat(catalog().index()).isEqualTo(2);
  }

  @Test
  void register_sameFieldsAgain_changesNothingNotEvenTheIndex() {
    log.apply(register("ext-1", "web", "web-1", "passing"));
    ExternalCatalog before = catalog();

    log.apply(register("ext-1", "web", "web-1", "passing"));

    assertThat(catalog()).isEqualTo(before);
    assertThat(catalog().index()).isEqualTo(2);
  }

  @Test
  void register_changedService_keepsCreateIndexMovesModifyIndex() {
    log.apply(register("ext-1", "web", "web-1", "passing"));
    log.apply(register("ext-1", "web", "web-1", "critical"));

    assertThat(nodeEntry("ext-1").checks().get("check-web-1"))
        .extracting(ExternalEntry::createIndex, ExternalEntry::modifyIndex)
        .containsExactly(2L, 3L);
    assertThat(nodeEntry("ext-1").services().get("web-1").modifyIndex()).isEqualTo(2);
    assertThat(catalog().index()).isEqualTo(3);
  }

  @Test
  void register_skipNodeUpdate_keepsTheRegisteredNodeFields() {
    log.apply(register("ext-1", "web", "web-1", "passing"));
    ExternalNode moved = new ExternalNode("ext-1", "10.0.0.10", Map.of(), Map.of());

    log.apply(new ControlCommand.CatalogRegister(moved, Optional.empty(), List.of(), true));
    assertThat(nodeEntry("ext-1").node().address()).isEqualTo("10.0.0.9");

    log.apply(new ControlCommand.CatalogRegister(moved, Optional.empty(), List.of(), false));
    assertThat(nodeEntry("ext-1").node().address()).isEqualTo("10.0.0.10");
    assertThat(nodeEntry("ext-1").modifyIndex()).isEqualTo(4);
    assertThat(nodeEntry("ext-1").services()).containsKey("web-1");
  }

  @Test
  void register_checkOfAnUnknownService_refusedInvalid() {
    ControlView before = log.state.view();

    ApplyResult result =
        log.apply(
            new ControlCommand.CatalogRegister(
                node("ext-1"), Optional.empty(), List.of(check("c1", "nope", "passing")), false));

    assertRefused(log.state, result, RefusalCode.INVALID, before);
    assertThat(((ApplyResult.Refused) result).message()).contains("does not have");
  }

  @Test
  void register_tooManyChecksForOneInstance_refusedInvalid() {
    log.apply(register("ext-1", "web", "web-1", "passing"));
    List<ExternalCheck> nodeChecks = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      nodeChecks.add(check("node-" + i, "", "passing"));
    }
    ControlView before = log.state.view();

    ApplyResult result =
        log.apply(
            new ControlCommand.CatalogRegister(node("ext-1"), Optional.empty(), nodeChecks, false));

    assertRefused(log.state, result, RefusalCode.INVALID, before);
    assertThat(((ApplyResult.Refused) result).message()).contains("more than 32 checks");
  }

  @Test
  void register_duplicateCheckIds_refusedInvalid() {
    ControlView before = log.state.view();
    List<ExternalCheck> twice = List.of(check("c", "", "passing"), check("c", "", "critical"));

    ApplyResult result =
        log.apply(
            new ControlCommand.CatalogRegister(node("ext-1"), Optional.empty(), twice, false));

    assertRefused(log.state, result, RefusalCode.INVALID, before);
  }

  @Test
  void records_badFields_refusedWithASentence() {
    assertThatThrownBy(() -> node("bad name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node name");
    assertThatThrownBy(() -> new ExternalNode("n", "", Map.of(), Map.of()))
        .hasMessageContaining("node address");
    assertThatThrownBy(() -> service("no.dots", "id")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new ExternalService("id", "web", List.of(), "", 70_000, Map.of(), Weights.DEFAULT))
        .hasMessageContaining("port");
    assertThatThrownBy(() -> new ControlCommand.CatalogDeregister("n", "a/b", ""))
        .hasMessageContaining("service id");
  }

  @Test
  void deregister_service_removesItAndItsChecksKeepsTheNode() {
    log.apply(register("ext-1", "web", "web-1", "passing"));
    log.apply(
        new ControlCommand.CatalogRegister(
            node("ext-1"), Optional.empty(), List.of(check("node-check", "", "passing")), false));

    log.apply(new ControlCommand.CatalogDeregister("ext-1", "web-1", ""));

    assertThat(nodeEntry("ext-1").services()).isEmpty();
    assertThat(nodeEntry("ext-1").checks()).containsOnlyKeys("node-check");
    assertThat(catalog().index()).isEqualTo(4);
  }

  @Test
  void deregister_check_removesOnlyIt() {
    log.apply(register("ext-1", "web", "web-1", "passing"));

    log.apply(new ControlCommand.CatalogDeregister("ext-1", "", "check-web-1"));

    assertThat(nodeEntry("ext-1").checks()).isEmpty();
    assertThat(nodeEntry("ext-1").services()).containsKey("web-1");
  }

  @Test
  void deregister_node_removesEverything() {
    log.apply(register("ext-1", "web", "web-1", "passing"));
    log.apply(register("ext-2", "web", "web-2", "passing"));

    log.apply(new ControlCommand.CatalogDeregister("ext-1", "", ""));

    assertThat(catalog().nodes()).containsOnlyKeys("ext-2");
    assertThat(catalog().index()).isEqualTo(4);
  }

  @Test
  void deregister_absent_succeedsAndChangesNothing() {
    log.apply(register("ext-1", "web", "web-1", "passing"));
    ExternalCatalog before = catalog();

    ApplyResult result = log.apply(new ControlCommand.CatalogDeregister("ghost", "", ""));
    log.apply(new ControlCommand.CatalogDeregister("ext-1", "ghost", ""));

    assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    assertThat(catalog()).isEqualTo(before);
  }

  @Test
  void snapshot_restored_holdsTheSameCatalogueAndGoesOnTheSame() throws ControlDecodeException {
    log.apply(register("ext-1", "web", "web-1", "passing"));
    log.apply(register("ext-1", "api", "api-1", "warning"));
    ControlSnapshot snapshot =
        WireControlCodec.decodeSnapshot(WireControlCodec.encodeSnapshot(log.state.snapshot()));
    ControlState restored = ControlState.restore(snapshot, RemovalPolicy.DEFAULT);

    assertThat(restored.view().external()).isEqualTo(catalog());
    int from = log.entries.size();
    log.apply(new ControlCommand.CatalogDeregister("ext-1", "web-1", ""));
    log.replayFrom(restored, from);
    assertThat(restored.view().external()).isEqualTo(catalog());
  }

  @Test
  void replay_sameLog_sameCatalogue() {
    log.apply(register("ext-1", "web", "web-1", "passing"));
    log.apply(register("ext-2", "web", "web-2", "critical"));
    log.apply(new ControlCommand.CatalogDeregister("ext-1", "", ""));
    ControlState other = ControlState.empty(RemovalPolicy.DEFAULT);

    log.replay(other);

    assertThat(other.view().external()).isEqualTo(catalog());
  }

  @Test
  void forgedEntry_badStatus_refusedInvalidByEveryReplica() {
    byte[] forged =
        io.hivemind.core.wire.proto.WireEntry.newBuilder()
            .setVersion(1)
            .setCatalogRegister(
                io.hivemind.core.wire.proto.WireCatalogRegister.newBuilder()
                    .setNode(
                        io.hivemind.core.wire.proto.WireExternalNode.newBuilder()
                            .setName("ext-1")
                            .setAddress("10.0.0.1"))
                    .addChecks(
                        io.hivemind.core.wire.proto.WireExternalCheck.newBuilder()
                            .setCheckId("c")
                            .setStatus("maybe")))
            .build()
            .toByteArray();
    ControlView before = log.state.view();

    ApplyResult result = log.state.apply(2, forged);

    assertRefused(log.state, result, RefusalCode.INVALID, before);
    assertThat(((ApplyResult.Refused) result).message()).contains("maybe");
  }
}
