package io.hivemind.core.control;

import io.hivemind.core.catalog.ServiceInstance;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The persistent catalogue's rules (Consul's catalog register and deregister, issue 11): applies
 * {@link ControlCommand.CatalogRegister} and {@link ControlCommand.CatalogDeregister} at a log
 * index. Each command is checked whole first and changes nothing when refused; a command that
 * changes nothing leaves every index as it was, so re-proposing the same registration (an agent's
 * configured services at every start) neither duplicates nor wakes a blocking query.
 *
 * <p>Bounds that span commands (nodes, services and checks per node, checks an instance would have)
 * are checked here, as refusals, because no single command can break them.
 *
 * <p>Copy on write: a change copies the node map and the node's own maps, O(nodes + its services),
 * and publishes a new immutable {@link ExternalCatalog}; external nodes are few and change rarely,
 * reads are many. Not thread-safe: part of {@link ControlState}, owned by its thread.
 */
final class ExternalCatalogStore {

  /** Most external nodes: far more than the external services a cluster usually names. */
  static final int MAX_NODES = 4096;

  /** Most services on one external node. */
  static final int MAX_SERVICES_PER_NODE = 256;

  /** Most checks on one external node. */
  static final int MAX_CHECKS_PER_NODE = 512;

  private ExternalCatalog current;

  ExternalCatalogStore(ExternalCatalog initial) {
    this.current = initial;
  }

  ExternalCatalog view() {
    return current;
  }

  /**
   * Applies a registration at {@code index}.
   *
   * @return null, or the refusal's sentence
   */
  String register(ControlCommand.CatalogRegister register, long index) {
    ExternalNodeEntry existing = current.nodes().get(register.node().name());
    if (existing == null && current.nodes().size() >= MAX_NODES) {
      return "the catalogue holds " + MAX_NODES + " external nodes already; deregister some first";
    }
    ExternalNodeEntry updated = registered(existing, register, index);
    String problem = boundsProblem(updated);
    if (problem != null) {
      return problem;
    }
    publish(updated.node().name(), updated, existing, index);
    return null;
  }

  private static ExternalNodeEntry registered(
      ExternalNodeEntry existing, ControlCommand.CatalogRegister register, long index) {
    if (existing == null) {
      existing =
          new ExternalNodeEntry(register.node(), index, index, new TreeMap<>(), new TreeMap<>());
    } else if (!register.skipNodeUpdate() && !existing.node().equals(register.node())) {
      existing =
          new ExternalNodeEntry(
              register.node(),
              existing.createIndex(),
              index,
              existing.services(),
              existing.checks());
    }
    NavigableMap<String, ExternalEntry<ExternalService>> services =
        new TreeMap<>(existing.services());
    register
        .service()
        .ifPresent(
            service -> services.put(service.id(), put(services.get(service.id()), service, index)));
    NavigableMap<String, ExternalEntry<ExternalCheck>> checks = new TreeMap<>(existing.checks());
    for (ExternalCheck check : register.checks()) {
      checks.put(check.checkId(), put(checks.get(check.checkId()), check, index));
    }
    return new ExternalNodeEntry(
        existing.node(), existing.createIndex(), existing.modifyIndex(), services, checks);
  }

  private static <T> ExternalEntry<T> put(ExternalEntry<T> existing, T value, long index) {
    return existing == null
        ? new ExternalEntry<>(value, index, index)
        : existing.updated(value, index);
  }

  /** What the node would break once changed, or null. */
  static String boundsProblem(ExternalNodeEntry node) {
    String name = ControlFieldRules.shown(node.node().name());
    if (node.services().size() > MAX_SERVICES_PER_NODE) {
      return "node " + name + " would have more than " + MAX_SERVICES_PER_NODE + " services";
    }
    if (node.checks().size() > MAX_CHECKS_PER_NODE) {
      return "node " + name + " would have more than " + MAX_CHECKS_PER_NODE + " checks";
    }
    for (ExternalEntry<ExternalCheck> check : node.checks().values()) {
      String serviceId = check.value().serviceId();
      if (!serviceId.isEmpty() && !node.services().containsKey(serviceId)) {
        return "check "
            + ControlFieldRules.shown(check.value().checkId())
            + " names service "
            + ControlFieldRules.shown(serviceId)
            + ", which node "
            + name
            + " does not have";
      }
    }
    int nodeChecks = node.nodeChecks().size();
    for (String serviceId : node.services().keySet()) {
      // An instance carries its node's checks and its own (Consul's health), at most MAX_CHECKS.
      if (nodeChecks + node.checksOf(serviceId).size() > ServiceInstance.MAX_CHECKS) {
        return "service "
            + ControlFieldRules.shown(serviceId)
            + " of node "
            + name
            + " would have more than "
            + ServiceInstance.MAX_CHECKS
            + " checks, its node's included";
      }
    }
    return nodeChecks > ServiceInstance.MAX_CHECKS
        ? "node " + name + " would have more than " + ServiceInstance.MAX_CHECKS + " node checks"
        : null;
  }

  /**
   * Applies a deregistration at {@code index}; absent things are no change.
   *
   * @return null: deregistration is never refused once its fields are valid
   */
  String deregister(ControlCommand.CatalogDeregister deregister, long index) {
    ExternalNodeEntry existing = current.nodes().get(deregister.node());
    if (existing == null) {
      return null;
    }
    if (deregister.serviceId().isEmpty() && deregister.checkId().isEmpty()) {
      publish(deregister.node(), null, existing, index);
      return null;
    }
    NavigableMap<String, ExternalEntry<ExternalService>> services =
        new TreeMap<>(existing.services());
    NavigableMap<String, ExternalEntry<ExternalCheck>> checks = new TreeMap<>(existing.checks());
    if (!deregister.serviceId().isEmpty()) {
      // Consul deletes a service's checks with it.
      services.remove(deregister.serviceId());
      checks.values().removeIf(check -> check.value().serviceId().equals(deregister.serviceId()));
    }
    checks.remove(deregister.checkId());
    publish(
        deregister.node(),
        new ExternalNodeEntry(
            existing.node(), existing.createIndex(), existing.modifyIndex(), services, checks),
        existing,
        index);
    return null;
  }

  /**
   * Replaces the node ({@code updated} null removes it) and moves the index, if anything changed.
   */
  private void publish(
      String name, ExternalNodeEntry updated, ExternalNodeEntry existing, long index) {
    if (updated != null && updated.equals(existing)) {
      return;
    }
    TreeMap<String, ExternalNodeEntry> nodes = new TreeMap<>(current.nodes());
    if (updated == null) {
      nodes.remove(name);
    } else {
      nodes.put(name, updated);
    }
    current = new ExternalCatalog(index, Collections.unmodifiableNavigableMap(nodes));
  }
}
