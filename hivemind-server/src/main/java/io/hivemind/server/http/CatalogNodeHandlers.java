package io.hivemind.server.http;

import io.hivemind.core.catalog.CatalogEntry;
import io.hivemind.core.catalog.CatalogView;
import io.hivemind.core.catalog.CheckStatus;
import io.hivemind.core.catalog.ServiceInstance;
import io.hivemind.server.http.CatalogNodes.Lookup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Consul's reads about one node, and its datacenter list: {@code GET /v1/catalog/node/{node}} (the
 * node and its service instances by id), {@code GET /v1/health/node/{node}} (those instances'
 * checks) and {@code GET /v1/catalog/datacenters}. Consul's clients reach for the first two to show
 * what runs on a host (python-consul's {@code catalog.node}, consul-template's {@code node}, the
 * {@code consul catalog services -node} command); before these routes they got a 404, which those
 * clients read as "no such node".
 *
 * <p>A node is found by name in the control plane's committed registry (an admitted member, or a
 * persistent node of {@code PUT /v1/catalog/register}), or is this agent itself when no registry
 * lists it (no control plane, or not admitted yet). Its instances are the replica's entries it
 * owns, found by one pass over the replica: these are a host's view, asked for now and then, not a
 * lookup path. An unknown node gets Consul's answers: {@code null} and {@code []}, with 200. The
 * node reads block as {@link CatalogReads} says, at the replica's index.
 *
 * <p>Runs on the HTTP event loop; reads one immutable snapshot per answer.
 */
final class CatalogNodeHandlers {

  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

  private final CatalogReads reads;
  private final CatalogNodes nodes;
  private final AgentOperations agent;

  CatalogNodeHandlers(CatalogReads reads, CatalogNodes nodes, AgentOperations agent) {
    this.reads = reads;
    this.nodes = nodes;
    this.agent = agent;
  }

  /** {@code GET /v1/catalog/node/{node}}: {@code {"Node": {...}, "Services": {"id": {...}}}}. */
  void node(ApiRequest request) {
    String name = request.pathParam("node");
    Optional<ConsulFilter> filter = ConsulFilter.of(request);
    ApiCaller caller = request.caller();
    reads.read(
        request,
        CatalogView::index,
        view -> {
          Lookup lookup = nodes.lookup();
          Optional<Set<String>> owners = owners(lookup, name);
          if (owners.isEmpty()) {
            return ControlReply.json(200, NULL);
          }
          List<CatalogEntry> entries = caller.readable(owned(view, owners.get()));
          byte[] answer = CatalogJson.nodeServices(lookup.node(owner(owners.get())), entries);
          // Consul filters the node's services, not the node.
          return ControlReply.json(
              200, filter.map(f -> f.applyWithin(answer, "Services")).orElse(answer));
        });
  }

  /**
   * {@code GET /v1/health/node/{node}}: the node's checks and its instances'. This agent's own node
   * checks come from the agent itself, so they show before any instance carries them; another
   * node's come with its instances (a node without instances shows none).
   */
  void healthNode(ApiRequest request) {
    String name = request.pathParam("node");
    Optional<ConsulFilter> filter = ConsulFilter.of(request);
    ApiCaller caller = request.caller();
    reads.read(
        request,
        CatalogView::index,
        view -> {
          Lookup lookup = nodes.lookup();
          List<CatalogEntry> entries =
              owners(lookup, name).map(owners -> owned(view, owners)).orElse(List.of());
          boolean self = name.equals(agent.self().name());
          List<CheckStatus> nodeChecks =
              self ? reads.catalogue().nodeChecks() : List.<CheckStatus>of();
          byte[] answer =
              CatalogJson.healthChecks(
                  nodeChecks, name, CatalogHandlers.checks(caller.readable(entries), null), lookup);
          return ControlReply.json(200, ConsulFilter.applied(filter, answer));
        });
  }

  /** {@code GET /v1/catalog/datacenters}: this cluster's, the only one an agent knows. */
  void datacenters(ApiRequest request) {
    request.json(200, ApiJson.write(json -> ApiJson.strings(json, List.of(nodes.datacenter()))));
  }

  /**
   * The owner ids of the node named {@code name}: the registry's, or, for this agent when the
   * registry does not list it, those its own instances carry (its owner id changes when it rejoins
   * after a removal, so there may be none yet, or for a moment two).
   */
  private Optional<Set<String>> owners(Lookup lookup, String name) {
    Optional<String> registered = lookup.ownerNamed(name);
    if (registered.isPresent()) {
      return Optional.of(Set.of(registered.get()));
    }
    if (!name.equals(agent.self().name())) {
      return Optional.empty();
    }
    Set<String> own = new TreeSet<>();
    for (ServiceInstance instance : reads.catalogue().localInstances()) {
      own.add(instance.owner());
    }
    return Optional.of(own);
  }

  /** The owner to describe the node by: any of them names the same node. */
  private static String owner(Set<String> owners) {
    return owners.isEmpty() ? "" : owners.iterator().next();
  }

  /** The view's entries held by {@code owners}, by service then owner and id. */
  private static List<CatalogEntry> owned(CatalogView view, Set<String> owners) {
    List<CatalogEntry> owned = new ArrayList<>();
    for (List<CatalogEntry> instances : view.services().values()) {
      for (CatalogEntry entry : instances) {
        if (owners.contains(entry.instance().owner())) {
          owned.add(entry);
        }
      }
    }
    return owned;
  }
}
