package io.hivemind.core.control;

import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.Weights;
import io.hivemind.core.wire.proto.WireCatalogDeregister;
import io.hivemind.core.wire.proto.WireCatalogRegister;
import io.hivemind.core.wire.proto.WireExternalCheck;
import io.hivemind.core.wire.proto.WireExternalCheckEntry;
import io.hivemind.core.wire.proto.WireExternalNode;
import io.hivemind.core.wire.proto.WireExternalNodeEntry;
import io.hivemind.core.wire.proto.WireExternalService;
import io.hivemind.core.wire.proto.WireExternalServiceEntry;
import io.hivemind.core.wire.proto.WireSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The persistent catalogue's commands and snapshot part to and from control.proto (field numbers
 * 20..29, docs/protocol/control.md). Decoding bounds every count before allocating and turns a
 * record's refusal ({@link IllegalArgumentException}) into a {@link ControlDecodeException}, so a
 * forged entry is refused INVALID and never throws out of a replica's apply.
 *
 * <p>Stateless.
 */
final class WireExternalCodec {

  private WireExternalCodec() {}

  // Encoding.

  static WireCatalogRegister register(ControlCommand.CatalogRegister register) {
    WireCatalogRegister.Builder wire =
        WireCatalogRegister.newBuilder()
            .setNode(node(register.node()))
            .setSkipNodeUpdate(register.skipNodeUpdate());
    register.service().ifPresent(service -> wire.setService(service(service)));
    register.checks().forEach(check -> wire.addChecks(check(check)));
    return wire.build();
  }

  static WireCatalogDeregister deregister(ControlCommand.CatalogDeregister deregister) {
    return WireCatalogDeregister.newBuilder()
        .setNode(deregister.node())
        .setServiceId(deregister.serviceId())
        .setCheckId(deregister.checkId())
        .build();
  }

  static void snapshot(ExternalCatalog catalog, WireSnapshot.Builder wire) {
    wire.setExternalIndex(catalog.index());
    for (ExternalNodeEntry entry : catalog.nodes().values()) {
      WireExternalNodeEntry.Builder node =
          WireExternalNodeEntry.newBuilder()
              .setNode(node(entry.node()))
              .setCreateIndex(entry.createIndex())
              .setModifyIndex(entry.modifyIndex());
      for (ExternalEntry<ExternalService> service : entry.services().values()) {
        node.addServices(
            WireExternalServiceEntry.newBuilder()
                .setService(service(service.value()))
                .setCreateIndex(service.createIndex())
                .setModifyIndex(service.modifyIndex()));
      }
      for (ExternalEntry<ExternalCheck> check : entry.checks().values()) {
        node.addChecks(
            WireExternalCheckEntry.newBuilder()
                .setCheck(check(check.value()))
                .setCreateIndex(check.createIndex())
                .setModifyIndex(check.modifyIndex()));
      }
      wire.addExternalNodes(node);
    }
  }

  private static WireExternalNode node(ExternalNode node) {
    return WireExternalNode.newBuilder()
        .setName(node.name())
        .setAddress(node.address())
        .putAllTaggedAddresses(node.taggedAddresses())
        .putAllMeta(node.meta())
        .build();
  }

  private static WireExternalService service(ExternalService service) {
    return WireExternalService.newBuilder()
        .setId(service.id())
        .setService(service.service())
        .addAllTags(service.tags())
        .setAddress(service.address())
        .setPort(service.port())
        .putAllMeta(service.meta())
        .setWeightPassing(service.weights().passing())
        .setWeightWarning(service.weights().warning())
        .build();
  }

  private static WireExternalCheck check(ExternalCheck check) {
    return WireExternalCheck.newBuilder()
        .setCheckId(check.checkId())
        .setName(check.name())
        .setStatus(check.status().consulName())
        .setNotes(check.notes())
        .setOutput(check.output())
        .setServiceId(check.serviceId())
        .build();
  }

  // Decoding.

  static ControlCommand register(WireCatalogRegister wire) throws ControlDecodeException {
    if (!wire.hasNode()) {
      throw new ControlDecodeException("catalogue registration without a node");
    }
    if (wire.getChecksCount() > ExternalRules.MAX_CHECKS_PER_COMMAND) {
      throw new ControlDecodeException(wire.getChecksCount() + " checks in one registration");
    }
    try {
      List<ExternalCheck> checks = new ArrayList<>(wire.getChecksCount());
      for (WireExternalCheck check : wire.getChecksList()) {
        checks.add(check(check));
      }
      return new ControlCommand.CatalogRegister(
          node(wire.getNode()),
          wire.hasService() ? Optional.of(service(wire.getService())) : Optional.empty(),
          checks,
          wire.getSkipNodeUpdate());
    } catch (IllegalArgumentException e) {
      throw new ControlDecodeException("catalogue registration: " + e.getMessage(), e);
    }
  }

  static ControlCommand deregister(WireCatalogDeregister wire) throws ControlDecodeException {
    try {
      return new ControlCommand.CatalogDeregister(
          wire.getNode(), wire.getServiceId(), wire.getCheckId());
    } catch (IllegalArgumentException e) {
      throw new ControlDecodeException("catalogue deregistration: " + e.getMessage(), e);
    }
  }

  /**
   * The snapshot's persistent catalogue, checked: bounded counts, nodes in name order, no index
   * above the snapshot's, and bounds that only the store's rules would otherwise keep.
   */
  static ExternalCatalog catalog(WireSnapshot wire, long index) throws ControlDecodeException {
    long externalIndex = wire.getExternalIndex();
    if (externalIndex < 0 || externalIndex > index) {
      throw new ControlDecodeException(
          "external catalogue index " + externalIndex + " is not 0.." + index);
    }
    if (wire.getExternalNodesCount() > ExternalCatalogStore.MAX_NODES) {
      throw new ControlDecodeException(wire.getExternalNodesCount() + " external nodes");
    }
    TreeMap<String, ExternalNodeEntry> nodes = new TreeMap<>();
    try {
      for (WireExternalNodeEntry record : wire.getExternalNodesList()) {
        ExternalNodeEntry entry = nodeEntry(record, externalIndex);
        if (!nodes.isEmpty() && nodes.lastKey().compareTo(entry.node().name()) >= 0) {
          throw new ControlDecodeException(
              "external node " + ControlFieldRules.shown(entry.node().name()) + " out of order");
        }
        nodes.put(entry.node().name(), entry);
      }
    } catch (IllegalArgumentException e) {
      throw new ControlDecodeException("snapshot's external catalogue: " + e.getMessage(), e);
    }
    if (!nodes.isEmpty() && externalIndex == 0) {
      throw new ControlDecodeException("external nodes without an external catalogue index");
    }
    return new ExternalCatalog(externalIndex, Collections.unmodifiableNavigableMap(nodes));
  }

  private static ExternalNodeEntry nodeEntry(WireExternalNodeEntry wire, long index)
      throws ControlDecodeException {
    if (!wire.hasNode()
        || wire.getServicesCount() > ExternalCatalogStore.MAX_SERVICES_PER_NODE
        || wire.getChecksCount() > ExternalCatalogStore.MAX_CHECKS_PER_NODE) {
      throw new ControlDecodeException(
          "external node entry without a node, or with too many services or checks");
    }
    NavigableMap<String, ExternalEntry<ExternalService>> services = new TreeMap<>();
    for (WireExternalServiceEntry record : wire.getServicesList()) {
      ExternalService service = service(record.getService());
      services.put(
          service.id(), indexed(service, record.getCreateIndex(), record.getModifyIndex(), index));
    }
    NavigableMap<String, ExternalEntry<ExternalCheck>> checks = new TreeMap<>();
    for (WireExternalCheckEntry record : wire.getChecksList()) {
      ExternalCheck check = check(record.getCheck());
      checks.put(
          check.checkId(), indexed(check, record.getCreateIndex(), record.getModifyIndex(), index));
    }
    if (services.size() != wire.getServicesCount() || checks.size() != wire.getChecksCount()) {
      throw new ControlDecodeException("external node holds a service or check id twice");
    }
    ExternalEntry<ExternalNode> node =
        indexed(node(wire.getNode()), wire.getCreateIndex(), wire.getModifyIndex(), index);
    ExternalNodeEntry entry =
        new ExternalNodeEntry(
            node.value(), node.createIndex(), node.modifyIndex(), services, checks);
    String problem = ExternalCatalogStore.boundsProblem(entry);
    if (problem != null) {
      throw new ControlDecodeException("snapshot's external catalogue: " + problem);
    }
    return entry;
  }

  private static <T> ExternalEntry<T> indexed(T value, long create, long modify, long index)
      throws ControlDecodeException {
    if (create < 1 || modify < create || modify > index) {
      throw new ControlDecodeException(
          "external entry created at " + create + ", modified at " + modify + ", after " + index);
    }
    return new ExternalEntry<>(value, create, modify);
  }

  private static ExternalNode node(WireExternalNode wire) throws ControlDecodeException {
    if (wire.getTaggedAddressesCount() > ExternalRules.MAX_TAGGED_ADDRESSES
        || wire.getMetaCount() > ExternalRules.MAX_NODE_META) {
      throw new ControlDecodeException("external node with too many tagged addresses or meta");
    }
    return new ExternalNode(
        wire.getName(), wire.getAddress(), wire.getTaggedAddressesMap(), wire.getMetaMap());
  }

  private static ExternalService service(WireExternalService wire) throws ControlDecodeException {
    if (wire.getTagsCount() > ServiceInstance.MAX_TAGS
        || wire.getMetaCount() > ServiceInstance.MAX_META) {
      throw new ControlDecodeException("external service with too many tags or meta");
    }
    long port = Integer.toUnsignedLong(wire.getPort());
    long passing = Integer.toUnsignedLong(wire.getWeightPassing());
    long warning = Integer.toUnsignedLong(wire.getWeightWarning());
    if (port > 65_535 || passing > Weights.MAX_WEIGHT || warning > Weights.MAX_WEIGHT) {
      throw new ControlDecodeException(
          "external service port " + port + " or weights " + passing + "/" + warning);
    }
    Map<String, String> meta = wire.getMetaMap();
    return new ExternalService(
        wire.getId(),
        wire.getService(),
        wire.getTagsList(),
        wire.getAddress(),
        (int) port,
        meta,
        new Weights((int) passing, (int) warning));
  }

  private static ExternalCheck check(WireExternalCheck wire) {
    return new ExternalCheck(
        wire.getCheckId(),
        wire.getName(),
        HealthStatus.parse(wire.getStatus()),
        wire.getNotes(),
        wire.getOutput(),
        wire.getServiceId());
  }
}
