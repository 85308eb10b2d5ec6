package io.hivemind.server.catalog;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckKind;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.control.ExternalCatalog;
import io.hivemind.core.control.ExternalCheck;
import io.hivemind.core.control.ExternalEntry;
import io.hivemind.core.control.ExternalNodeEntry;
import io.hivemind.core.control.ExternalService;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the persistent catalogue (the control log's {@link ExternalCatalog}, issue 11) into a
 * snapshot of the ephemeral replica, so every catalogue read sees both.
 *
 * <p>The index rule. The replica numbers its own changes; the control log numbers its entries; both
 * only rise. A merged answer's index is their sum: {@code replica index + external index} for
 * answers about every service, {@code replica's service index + external index} for answers about
 * one service (the external index is the log index of the last persistent change, to any service:
 * persistent changes are rare, so a watcher of one service may wake for another's and re-block). A
 * sum of two counters that never fall never falls, and it rises whenever either does, so {@code
 * X-Consul-Index} never goes backwards and a blocking query wakes on a change of either kind. The
 * sum is an index of this agent only, as the replica's own is.
 *
 * <p>A persistent instance is owned by {@code external:<node>} in session {@link #SESSION}; its
 * address is the service's, else the node's (so DNS and clients that read only the service's
 * address find it); its checks are the node's and its own, with the status registered (nothing runs
 * them, as with Consul's catalog checks). Its create and modify indexes are log indexes.
 *
 * <p>Stateless; pure.
 */
public final class PersistentCatalog {

  /** The session persistent instances carry. */
  public static final String SESSION = "catalog";

  private PersistentCatalog() {}

  /** {@code replica} with {@code external}'s instances added; the indexes as the class says. */
  public static CatalogView merge(
      CatalogView replica, ExternalCatalog external, String environment) {
    if (external.index() == 0) {
      return replica; // never changed: the sum is the replica's own index
    }
    // Added to the replica's persistent trees, not copied into a new map: a merge follows every
    // replica publish, so it must cost the persistent instances, not the catalogue.
    List<CatalogEntry> added = new ArrayList<>();
    Environment env = external.nodes().isEmpty() ? null : Environment.parse(environment);
    for (ExternalNodeEntry node : external.nodes().values()) {
      for (ExternalEntry<ExternalService> service : node.services().values()) {
        added.add(entry(node, service, env));
      }
    }
    return replica.plus(
        replica.index() + external.index(),
        new OffsetIndexes(replica.serviceIndexes(), external.index()),
        added);
  }

  private static CatalogEntry entry(
      ExternalNodeEntry node, ExternalEntry<ExternalService> indexed, Environment environment) {
    ExternalService service = indexed.value();
    List<CheckStatus> checks = new ArrayList<>();
    node.nodeChecks().forEach(check -> checks.add(status(check, true)));
    node.checksOf(service.id()).forEach(check -> checks.add(status(check, false)));
    String address = service.address().isEmpty() ? node.node().address() : service.address();
    ServiceInstance instance =
        new ServiceInstance(
            service.service(),
            service.id(),
            address,
            service.port(),
            service.tags(),
            service.meta(),
            service.weights(),
            environment,
            node.node().ownerId(),
            SESSION,
            checks);
    return new CatalogEntry(instance, indexed.createIndex(), indexed.modifyIndex());
  }

  private static CheckStatus status(ExternalCheck check, boolean node) {
    // TTL: pushed, not probed. Its status is the registration's until it is registered again.
    return new CheckStatus(
        check.checkId(), check.name(), CheckKind.TTL, check.status(), check.output(), node);
  }

  /**
   * The replica's service indexes plus an offset, for every name: a service neither side has ever
   * held is at the offset too, so no service's index falls when a persistent one is deregistered.
   * Only {@link #get} (and so {@code getOrDefault}, which {@link CatalogView#serviceIndex} uses)
   * answers for every name; iteration and {@code containsKey} know the replica's names only.
   */
  private static final class OffsetIndexes extends AbstractMap<String, Long> {
    private final Map<String, Long> base;
    private final long offset;

    OffsetIndexes(Map<String, Long> base, long offset) {
      this.base = base;
      this.offset = offset;
    }

    @Override
    public Long get(Object key) {
      Long own = base.get(key);
      return (own == null ? 0 : own) + offset;
    }

    @Override
    public Set<Entry<String, Long>> entrySet() {
      Map<String, Long> shifted = new TreeMap<>();
      base.forEach((name, index) -> shifted.put(name, index + offset));
      return Collections.unmodifiableMap(shifted).entrySet();
    }
  }
}
