package io.hivemind.client;

import io.hivemind.api.AgentService;
import io.hivemind.api.ServiceEntry;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The difference between two answers for one service. Instances are matched by owning node and
 * instance id, and compared by what a caller routes on, not by their indexes: indexes belong to the
 * answering agent's replica, so after a failover to the host's other agent every index differs
 * while nothing about the instances did.
 */
final class ServiceChanges {

  private ServiceChanges() {}

  static ServiceChange between(
      String service, List<ServiceEntry> before, List<ServiceEntry> after, long index, URI agent) {
    Map<String, ServiceEntry> old = byKey(before);
    List<ServiceEntry> added = new ArrayList<>();
    List<ServiceEntry> changed = new ArrayList<>();
    for (ServiceEntry now : after) {
      ServiceEntry was = old.remove(key(now));
      if (was == null) {
        added.add(now);
      } else if (!sameRoute(was, now)) {
        changed.add(now);
      }
    }
    return new ServiceChange(
        service, after, added, changed, new ArrayList<>(old.values()), index, agent);
  }

  static boolean sameRoute(ServiceEntry a, ServiceEntry b) {
    AgentService x = a.service();
    AgentService y = b.service();
    return a.effectiveAddress().equals(b.effectiveAddress())
        && x.port() == y.port()
        && Objects.equals(x.tags(), y.tags())
        && Objects.equals(x.meta(), y.meta())
        && Objects.equals(x.weights(), y.weights())
        && a.aggregatedStatus().equals(b.aggregatedStatus());
  }

  private static Map<String, ServiceEntry> byKey(List<ServiceEntry> entries) {
    Map<String, ServiceEntry> keyed = new LinkedHashMap<>();
    for (ServiceEntry entry : entries) {
      keyed.put(key(entry), entry);
    }
    return keyed;
  }

  private static String key(ServiceEntry entry) {
    return entry.node().node() + '\0' + entry.service().id();
  }
}
