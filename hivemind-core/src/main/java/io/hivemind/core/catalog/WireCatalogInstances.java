package io.hivemind.core.catalog;

import io.hivemind.api.Environment;
import io.hivemind.core.wire.proto.CatalogCheck;
import io.hivemind.core.wire.proto.CatalogInstance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@link ServiceInstance} on the wire (catalog.proto's {@code CatalogInstance}), both ways. An
 * instance's owner is its delta's or state's, so it is not repeated per instance: a forged message
 * cannot slip another owner's instance inside an owner's delta. Enums travel as their ordinal plus
 * one (0 is proto3's "unset", refused).
 */
final class WireCatalogInstances {

  private static final Environment[] ENVIRONMENTS = Environment.values();
  private static final HealthStatus[] STATUSES = HealthStatus.values();
  private static final CheckKind[] KINDS = CheckKind.values();

  private WireCatalogInstances() {}

  static CatalogInstance encode(ServiceInstance instance) {
    CatalogInstance.Builder wire =
        CatalogInstance.newBuilder()
            .setService(instance.service())
            .setId(instance.id())
            .setAddress(instance.address())
            .setPort(instance.port())
            .addAllTags(instance.tags())
            .putAllMeta(instance.meta())
            .setWeightPassing(instance.weights().passing())
            .setWeightWarning(instance.weights().warning())
            .setEnvironmentValue(instance.environment().ordinal() + 1)
            .setSession(instance.session());
    for (CheckStatus check : instance.checks()) {
      wire.addChecks(
          CatalogCheck.newBuilder()
              .setCheckId(check.checkId())
              .setName(check.name())
              .setKindValue(check.kind().ordinal() + 1)
              .setStatusValue(check.status().ordinal() + 1)
              .setOutput(check.output())
              .setNode(check.node()));
    }
    return wire.build();
  }

  /**
   * The instances of {@code owner}'s delta or state ({@code where}), validated by their records.
   *
   * @throws CatalogDecodeException for an id held twice, an unknown enum value or a count over its
   *     bound; the records' constructors throw {@link IllegalArgumentException} for the rest
   */
  static List<ServiceInstance> decode(String owner, List<CatalogInstance> wire, String where)
      throws CatalogDecodeException {
    List<ServiceInstance> instances = new ArrayList<>(wire.size());
    Set<String> ids = new HashSet<>();
    for (CatalogInstance instance : wire) {
      if (!ids.add(instance.getId())) {
        throw new CatalogDecodeException(
            "owner " + owner + "'s " + where + " carries instance " + instance.getId() + " twice");
      }
      instances.add(instance(owner, instance));
    }
    return instances;
  }

  private static ServiceInstance instance(String owner, CatalogInstance wire)
      throws CatalogDecodeException {
    // Counts are bounded before the records copy them (the frame's size bounds them too).
    WireCatalogCodec.bound("tags", wire.getTagsCount(), ServiceInstance.MAX_TAGS);
    WireCatalogCodec.bound("meta keys", wire.getMetaCount(), ServiceInstance.MAX_META);
    WireCatalogCodec.bound("checks", wire.getChecksCount(), ServiceInstance.MAX_WIRE_CHECKS);
    if (wire.getPort() > 65_535) {
      throw new CatalogDecodeException(
          "instance " + wire.getId() + " has port " + Integer.toUnsignedString(wire.getPort()));
    }
    List<CheckStatus> checks = new ArrayList<>(wire.getChecksCount());
    for (CatalogCheck check : wire.getChecksList()) {
      checks.add(
          new CheckStatus(
              check.getCheckId(),
              check.getName(),
              KINDS[ordinal("check kind", check.getKindValue(), KINDS.length)],
              STATUSES[ordinal("check status", check.getStatusValue(), STATUSES.length)],
              check.getOutput(),
              check.getNode()));
    }
    return new ServiceInstance(
        wire.getService(),
        wire.getId(),
        wire.getAddress(),
        wire.getPort(),
        wire.getTagsList(),
        wire.getMetaMap(),
        weights(wire.getWeightPassing(), wire.getWeightWarning()),
        ENVIRONMENTS[ordinal("environment", wire.getEnvironmentValue(), ENVIRONMENTS.length)],
        owner,
        wire.getSession(),
        checks);
  }

  /** Most instances have the default weights: one shared record rather than one each. */
  private static Weights weights(int passing, int warning) {
    return passing == Weights.DEFAULT.passing() && warning == Weights.DEFAULT.warning()
        ? Weights.DEFAULT
        : new Weights(passing, warning);
  }

  private static int ordinal(String what, int value, int count) throws CatalogDecodeException {
    if (value < 1 || value > count) {
      throw new CatalogDecodeException("unknown " + what + " " + value);
    }
    return value - 1;
  }
}
