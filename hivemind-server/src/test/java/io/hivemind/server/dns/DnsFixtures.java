package io.hivemind.server.dns;

import io.hivemind.api.Environment;
import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckKind;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.HealthStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.core.catalog.Weights;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A catalogue and members built from plain values, as {@link DnsSources} for the unit tests. */
final class DnsFixtures implements DnsSources {

  static final Environment ENV = Environment.DEVELOPMENT;

  private final TreeMap<String, List<CatalogEntry>> services = new TreeMap<>();
  private final List<NodeEntry> members = new ArrayList<>();
  private final Map<String, NodeEntry> owners = new HashMap<>();
  private long index = 7;

  DnsFixtures member(String name, String host) {
    members.add(new NodeEntry(name, host));
    owners.put("id-" + name, new NodeEntry(name, host));
    return this;
  }

  DnsFixtures instance(String service, String id, String address, int port, List<String> tags) {
    return add(instance(service, id, address, port, tags, 1, HealthStatus.PASSING));
  }

  DnsFixtures add(ServiceInstance instance) {
    services
        .computeIfAbsent(instance.service(), s -> new ArrayList<>())
        .add(new CatalogEntry(instance, index, index));
    index++;
    return this;
  }

  // Justification: one argument per field a test varies.
  static ServiceInstance instance(
      String service,
      String id,
      String address,
      int port,
      List<String> tags,
      int weight,
      HealthStatus health) {
    return new ServiceInstance(
        service,
        id,
        address,
        port,
        tags,
        Map.of(),
        new Weights(weight, 1),
        ENV,
        "id-node-a",
        ServiceInstance.AGENT_SESSION,
        List.of(new CheckStatus("check-" + id, "check", CheckKind.TTL, health, "")));
  }

  @Override
  public CatalogView catalog() {
    TreeMap<String, List<CatalogEntry>> copy = new TreeMap<>();
    services.forEach((name, entries) -> copy.put(name, List.copyOf(entries)));
    return new CatalogView(index, Collections.unmodifiableNavigableMap(copy), Map.of(), 0);
  }

  @Override
  public List<NodeEntry> activeMembers() {
    return List.copyOf(members);
  }

  @Override
  public Optional<NodeEntry> owner(String owner) {
    return Optional.ofNullable(owners.get(owner));
  }
}
